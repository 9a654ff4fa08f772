package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAI's /v1/embeddings and TEI's /embed on the bundled all-MiniLM-L6-v2, against the library's vectors. */
@ExtendWith(TwoModels.class)
class EmbeddingApiTest {
    /** Forty texts of different lengths, so that the batch mixes short and long inputs. */
    static final List<String> TEXTS = IntStream.range(0, 40)
            .mapToObj(i -> "Text " + i + ": " + "owls and bats sleep by day, ".repeat(1 + i % 7)).toList();

    static String json(Object value) {
        return TestServer.JSON.valueToTree(value).toString();
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(array.get(i).asText());
        }
        return v;
    }

    @Test
    void openAiVectorsAreTheLibrarysBitForBit() {
        TestServer.Response r = TwoModels.t.post("/v1/embeddings",
                "{\"model\": \"all-MiniLM-L6-v2\", \"input\": " + json(TEXTS) + ", \"user\": \"ignored\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        float[][] expected = TwoModels.embedder.embed(TEXTS);
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(TwoModels.BI_ENCODER);
        assertThat(body.get("data")).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode d = body.get("data").get(i);
            assertThat(d.get("object").asText()).isEqualTo("embedding");
            assertThat(d.get("index").asInt()).isEqualTo(i);
            assertThat(floats(d.get("embedding"))).as("text %d", i).containsExactly(expected[i]);
        }
        int tokens = Arrays.stream(TwoModels.embedder.tokenCounts(TEXTS, 0)).sum();
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(tokens);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(tokens);
    }

    @Test
    void base64IsTheLittleEndianFloatsOfTheSameVector() {
        TestServer.Response r = TwoModels.t.post("/v1/embeddings",
                "{\"input\": \"What is deep learning?\", \"encoding_format\": \"base64\", \"dimensions\": 384}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        byte[] bytes = Base64.getDecoder().decode(r.json().get("data").get(0).get("embedding").asText());
        float[] got = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertThat(got).containsExactly(TwoModels.embedder.embed(List.of("What is deep learning?"))[0]);
    }

    @Test
    void teiEmbedReturnsBareVectorsNormalisedUnlessToldNot() {
        List<String> texts = TEXTS.subList(0, 5);
        JsonNode normalised = TwoModels.t.post("/embed", "{\"inputs\": " + json(texts) + "}").json();
        JsonNode raw = TwoModels.t.post("/embed", "{\"inputs\": " + json(texts) + ", \"normalize\": false}").json();
        float[][] expectedNormalised = TwoModels.embedder.embed(texts, true, 0);
        float[][] expectedRaw = TwoModels.embedder.embed(texts, false, 0);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(floats(normalised.get(i))).containsExactly(expectedNormalised[i]);
            assertThat(floats(raw.get(i))).containsExactly(expectedRaw[i]);
        }
        JsonNode single = TwoModels.t.post("/embed", "{\"inputs\": \"one text\"}").json();
        assertThat(single).hasSize(1);
        assertThat(floats(single.get(0))).containsExactly(TwoModels.embedder.embed(List.of("one text"))[0]);
    }

    @Test
    void teiTruncationSideAndExplicitNoTruncation() {
        String longText = "first words matter. " + "filler ".repeat(400) + "last words matter.";
        String body = "{\"inputs\": [" + json(longText) + "], \"truncation_direction\": \"Left\"}";
        float[] left = floats(TwoModels.t.post("/embed", body).json().get(0));
        assertThat(left).containsExactly(
                TwoModels.embedder.embed(List.of(longText), true, 0, Truncation.Direction.LEFT)[0]);
        assertThat(left).isNotEqualTo(TwoModels.embedder.embed(List.of(longText))[0]);
        String message = TwoModels.t.post("/embed", "{\"inputs\": [\"short\", " + json(longText)
                + "], \"truncate\": false}").error(413, "payload_too_large_error");
        assertThat(message).contains("'inputs[1]' is", "the limit is 256");
        assertThat(TwoModels.t.post("/embed", "{\"inputs\": [\"short\"], \"truncate\": false}").status())
                .isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /v1/embeddings | {"model": "jinabert-mini", "input": "x"}        | 422 | model 'jinabert-mini' is a reranker (cross-encoder, JINA_BERT_CROSS_ENCODER) and cannot embed; POST /v1/embeddings needs an embedding model (bi-encoder): this server serves 'sentence-transformers/all-MiniLM-L6-v2'
            /embed         | {"model": "rerank-v3.5", "inputs": "x"}         | 422 | model 'jinabert-mini' is a reranker
            /v1/embeddings | {"input": "x", "dimensions": 128}               | 422 | 'dimensions' 128 is not supported: model 'sentence-transformers/all-MiniLM-L6-v2' makes 384-dimensional vectors
            /v1/embeddings | {"input": "x", "encoding_format": "hex"}        | 422 | 'encoding_format' must be "float" or "base64"
            /v1/embeddings | {"input": []}                                   | 422 | 'input' must not be empty
            /v1/embeddings | {"input": [[101, 2023]]}                        | 400 | 'input[0]' must be a string, got array (token ids are not accepted
            /v1/embeddings | {"input": [1, 2]}                               | 400 | 'input[0]' must be a string, got number (token ids
            /v1/embeddings | {"model": "all-MiniLM-L6-v2"}                   | 400 | 'input' is required
            /v1/embeddings | {"input": {"text": "x"}}                        | 400 | 'input' must be a string or an array of strings, got object
            /embed         | {"inputs": "x", "normalize": "yes"}             | 400 | 'normalize' must be true or false
            /embed         | {"inputs": "x", "truncation_direction": "Up"}   | 422 | 'truncation_direction' must be "Left" or "Right"
            /v1/embeddings | {"input": "x", "model": "text-embedding-3-small"} | 422 | model 'text-embedding-3-small' is not served here
            """)
    void invalidEmbeddingRequestsNameTheProblem(String route, String body, int status, String expected) {
        String type = status == 400 ? "invalid_request_error" : "validation_error";
        assertThat(TwoModels.t.post(route, body).error(status, type)).contains(expected);
    }
}

package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request shapes clients post: Cohere v1 and TEI bodies on /v1/rerank, Elasticsearch's extra fields on
 * /v2/rerank, Cohere v2's max_tokens_per_doc, and request bodies of an Elasticsearch {@code custom} inference
 * service and an OpenSearch ml-commons connector as their documentation writes them.
 */
@ExtendWith(TwoModels.class)
class DialectsTest {
    static final String QUERY = "which animals sleep by day";

    static List<PairScore> reference(List<String> documents) {
        return TwoModels.crossEncoder.score(documents.stream().map(d -> new TextPair(QUERY, d)).toList());
    }

    static TestServer.Response post(String route, String body) {
        TestServer.Response r = TwoModels.t.post(route, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** Each result's relevance_score is the library's score of the document at its index. */
    static void assertScores(JsonNode results, String field, List<PairScore> expected) {
        assertThat(results).hasSize(expected.size());
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode r : results) {
            double score = r.get(field).asDouble();
            assertThat(score).isEqualTo(expected.get(r.get("index").asInt()).score()).isLessThanOrEqualTo(previous);
            previous = score;
        }
    }

    @Test
    void cohereV1StructuredDocumentsAreRankedOnTheirRankFields() {
        String body = """
                {"model": "rerank-english-v2.0", "query": "which animals sleep by day",
                 "documents": [{"title": "Owls", "text": "Owls sleep by day.", "id": 7},
                               {"title": "Trains", "text": "Trains run on time.", "id": 8},
                               "Bats rest in caves."],
                 "rank_fields": ["title", "text"], "return_documents": true, "max_chunks_per_doc": 10}""";
        JsonNode answer = post("/v1/rerank", body).json();
        assertScores(answer.get("results"), "relevance_score", reference(List.of(
                "title: Owls\ntext: Owls sleep by day.", "title: Trains\ntext: Trains run on time.",
                "Bats rest in caves.")));
        for (JsonNode r : answer.get("results")) {
            JsonNode d = r.get("document");
            switch (r.get("index").asInt()) {
                case 0 -> assertThat(d.get("id").asInt()).isEqualTo(7);
                case 1 -> assertThat(d.get("title").asText()).isEqualTo("Trains");
                default -> assertThat(d.get("text").asText()).isEqualTo("Bats rest in caves.");
            }
        }
        assertThat(answer.get("meta").get("api_version").get("version").asText()).isEqualTo("1");
        assertThat(answer.get("meta").get("billed_units").get("search_units").asInt()).isEqualTo(1);
        assertThat(answer.get("id").asText()).hasSize(36);

        JsonNode oneField = post("/v1/rerank", body.replace("[\"title\", \"text\"]", "[\"title\"]")
                .replace("\"return_documents\": true", "\"return_documents\": false")).json();
        assertScores(oneField.get("results"), "relevance_score",
                reference(List.of("Owls", "Trains", "Bats rest in caves.")));
        assertThat(oneField.get("results").get(0).has("document")).isFalse();
    }

    @Test
    void jinaReturnsDocumentsUnlessToldNot() {
        JsonNode answer = post("/v1/rerank", "{\"query\": \"" + QUERY + "\", \"documents\": [\"a\", {\"text\": \"b\"}]}")
                .json();
        assertThat(answer.get("results")).extracting(r -> r.get("document").get("text").asText())
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aTeiShapedBodyOnV1RerankIsAnsweredAsTeiAnswers() {
        List<String> texts = List.of("Owls sleep by day.", "Trains run on time.");
        JsonNode answer = post("/v1/rerank", "{\"query\": \"" + QUERY + "\", \"texts\": "
                + RerankApiTest.jsonArray(texts) + ", \"return_text\": true, \"raw_scores\": true}").json();
        assertThat(answer.isArray()).isTrue();
        List<PairScore> expected = reference(texts);
        for (JsonNode r : answer) {
            int i = r.get("index").asInt();
            assertThat(r.get("score").asDouble()).isEqualTo(expected.get(i).logit());
            assertThat(r.get("text").asText()).isEqualTo(texts.get(i));
        }
    }

    @Test
    void unknownFieldsAreIgnored() {
        JsonNode answer = post("/v2/rerank", "{\"query\": \"" + QUERY + "\", \"documents\": [\"a\", \"b\"], "
                + "\"priority\": 3, \"future_option\": {\"nested\": [1, 2]}, \"user\": null}").json();
        assertScores(answer.get("results"), "relevance_score", reference(List.of("a", "b")));
    }

    @Test
    void cohereV2TakesElasticsearchsExtraFieldsAndHonoursMaxTokensPerDoc() {
        String longDoc = "Owls sleep by day and hunt at night across the whole northern hemisphere.";
        JsonNode answer = post("/v2/rerank", "{\"model\": \"rerank-v3.5\", \"query\": \"" + QUERY
                + "\", \"documents\": [" + TestServer.JSON.valueToTree(longDoc) + ", \"Trains run on time.\"], "
                + "\"max_tokens_per_doc\": 3, \"return_documents\": true, \"max_chunks_per_doc\": 1}").json();
        List<PairScore> cut = reference(List.of(firstTokens(longDoc, 3), firstTokens("Trains run on time.", 3)));
        assertScores(answer.get("results"), "relevance_score", cut);
        assertThat(cut.get(0).score()).isNotEqualTo(reference(List.of(longDoc)).get(0).score());
        for (JsonNode r : answer.get("results")) {
            assertThat(r.get("document").get("text").asText())
                    .isEqualTo(r.get("index").asInt() == 0 ? longDoc : "Trains run on time.");
        }
        assertThat(answer.get("meta").get("api_version").get("version").asText()).isEqualTo("2");
    }

    /** The text up to the end of its n-th token. */
    static String firstTokens(String text, int n) {
        Encoding e = TwoModels.crossEngine.tokenizer().encode(text, false, Truncation.none());
        String cut = text.substring(0, e.offsets()[2 * (n - 1) + 1]);
        assertThat(cut).isNotEqualTo(text);
        return cut;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            400 | {"query": "q", "documents": [{"title": "t"}], "rank_fields": ["title", "body"]} | 'documents[0]' has no string field 'body' named in 'rank_fields'
            400 | {"query": "q", "documents": [7], "rank_fields": ["title", "body"]}             | 'documents[0]' must be a string or an object, got number
            400 | {"query": "q", "documents": ["a"], "rank_fields": "title"}                      | 'rank_fields' must be an array of strings, got string
            400 | {"query": "q", "documents": ["a"], "max_chunks_per_doc": "many"}                 | 'max_chunks_per_doc' must be an integer
            422 | {"query": "q", "documents": ["a"], "max_chunks_per_doc": 0}                      | 'max_chunks_per_doc' must be >= 1
            400 | {"query": "q", "texts": [1]}                                                     | 'texts[0]' must be a string, got number
            """)
    void invalidDialectFieldsNameTheProblem(int status, String body, String expected) {
        String type = status == 400 ? "invalid_request_error" : "validation_error";
        assertThat(TwoModels.t.post("/v1/rerank", body).error(status, type)).contains(expected);
    }

    /** Elasticsearch's custom service puts the query as a JSON string and the documents as a JSON array. */
    static String elasticsearchTemplate(String template, String query, List<String> input) {
        return template.replace("${query}", TestServer.JSON.valueToTree(query).toString())
                .replace("${input}", RerankApiTest.jsonArray(input));
    }

    /** The custom service's json_parser: $.results[*].index and $.results[*].relevance_score, in the answer's order. */
    static List<double[]> elasticsearchParse(JsonNode answer) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode r : answer.get("results")) {
            out.add(new double[] {r.get("index").asInt(), r.get("relevance_score").asDouble()});
        }
        return out;
    }

    @Test
    void elasticsearchCustomServiceBodiesAsDocumented() {
        List<String> input = List.of("luke", "leia", "Owls sleep by day.");
        // Elasticsearch's documented custom endpoint for Jina's on-prem /v1/rerank.
        String jina = """
                {
                  "model": "jina-reranker-v2-base-multilingual",
                  "query": ${query},
                  "documents": ${input}
                }""";
        // Elasticsearch's custom service settings for Cohere's v2 rerank (model_id, top_n, return_documents).
        String cohere = "{\"documents\": ${input}, \"query\": ${query}, \"model\": \"rerank-v3.5\", \"top_n\": 3, "
                + "\"return_documents\": false}";
        List<PairScore> expected = reference(input);
        for (String[] call : new String[][] {{"/v1/rerank", jina}, {"/v2/rerank", cohere}}) {
            List<double[]> parsed = elasticsearchParse(post(call[0], elasticsearchTemplate(call[1], QUERY, input))
                    .json());
            assertThat(parsed).as(call[0]).hasSize(3);
            for (double[] p : parsed) {
                assertThat(p[1]).as(call[0]).isEqualTo(expected.get((int) p[0]).score());
            }
        }
    }

    @Test
    void openSearchCohereConnectorBodyAsDocumented() {
        // The ml-commons Cohere rerank connector's request_body; its pre-process function sets top_n to the
        // document count and its post-process function reads results[].index and relevance_score.
        String requestBody = "{ \"documents\": ${parameters.documents}, \"query\": \"${parameters.query}\", "
                + "\"model\": \"${parameters.model}\", \"top_n\": ${parameters.top_n} }";
        List<String> documents = List.of("Carson City is the capital city of Nevada.",
                "Washington, D.C. is the capital of the United States.");
        String body = requestBody.replace("${parameters.documents}", RerankApiTest.jsonArray(documents))
                .replace("${parameters.query}", "What is the capital of the United States?")
                .replace("${parameters.model}", "rerank-english-v2.0")
                .replace("${parameters.top_n}", String.valueOf(documents.size()));
        JsonNode answer = post("/v1/rerank", body).json();
        double[] byIndex = new double[documents.size()];
        for (JsonNode r : answer.get("results")) {
            byIndex[r.get("index").asInt()] = r.get("relevance_score").asDouble();
        }
        List<PairScore> expected = TwoModels.crossEncoder.score(documents.stream()
                .map(d -> new TextPair("What is the capital of the United States?", d)).toList());
        assertThat(byIndex).containsExactly(expected.get(0).score(), expected.get(1).score());
    }
}

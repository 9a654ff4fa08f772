package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: JSON Lines in and out, order and extra fields kept, errors named by line. */
class CommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUERY = "Organic skincare products for sensitive skin";

    @TempDir
    Path tmp;

    private static List<JsonNode> lines(String s) throws IOException {
        return s.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    @Test
    void scoreAddsLogitAndScoreKeepingOrderAndFields() throws IOException {
        Path in = tmp.resolve("pairs.jsonl");
        Files.writeString(in, """
                {"id": "a", "query": "Organic skincare products for sensitive skin", "document": "Eco-friendly kitchenware for modern homes"}

                {"id": "b", "query": "What is Deep Learning?", "document": "Deep learning is a subset of machine learning based on artificial neural networks with representation learning.", "extra": [1, 2]}
                """);
        Path out = tmp.resolve("out.jsonl");
        CliRun r = CliRun.of("score", "--model", CliRun.MODEL, "--input", in.toString(), "--output", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> rows = lines(Files.readString(out));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("id").asText()).isEqualTo("a");
        assertThat(rows.get(0).get("logit").asDouble()).isCloseTo(-0.16130355882721895, within(1e-4));
        assertThat(rows.get(0).get("score").asDouble()).isCloseTo(0.45976131945836757, within(1e-4));
        assertThat(rows.get(1).get("id").asText()).isEqualTo("b");
        assertThat(rows.get(1).get("extra").toString()).isEqualTo("[1,2]");
        assertThat(rows.get(1).get("logit").asDouble()).isCloseTo(0.9372147709899318, within(1e-4));
    }

    @Test
    void scoreReadsStdinAndWritesStdout() throws IOException {
        CliRun r = CliRun.withStdin("{\"query\": \"short\", \"document\": \"\"}\n", "score", "--model", CliRun.MODEL,
                "--input", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(lines(r.out()).get(0).get("logit").asDouble()).isCloseTo(2.2312750682756284, within(1e-4));
    }

    @Test
    void rankPrintsTheJinaResponseShape() throws IOException {
        CliRun r = CliRun.of("rank", "--model", CliRun.MODEL, "--query", QUERY, "--top-n", "2", "--return-documents",
                "Eco-friendly kitchenware for modern homes", "Organic cotton baby clothes for sensitive skin",
                "Tech gadgets for smart homes: 2024 edition");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = JSON.readTree(r.out());
        assertThat(n.get("model").asText()).isEqualTo("jinabert-mini");
        assertThat(n.get("usage").get("total_tokens").asInt()).isEqualTo(22 + 21 + 21);
        JsonNode results = n.get("results");
        assertThat(results).hasSize(2);
        // reference logits: gadgets 0.586, baby clothes 0.444, kitchenware -0.161
        assertThat(results.get(0).get("index").asInt()).isEqualTo(2);
        assertThat(results.get(0).get("relevance_score").asDouble())
                .isCloseTo(1 / (1 + Math.exp(-0.5864386551093866)), within(1e-5));
        assertThat(results.get(0).get("document").get("text").asText())
                .isEqualTo("Tech gadgets for smart homes: 2024 edition");
        assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
    }

    @Test
    void rankReadsDocumentsFromAFileAndOmitsTextUnlessAsked() throws IOException {
        Path docs = tmp.resolve("docs.jsonl");
        Files.writeString(docs, "\"Eco-friendly kitchenware for modern homes\"\n{\"text\": \"Organic cotton baby clothes "
                + "for sensitive skin\"}\n");
        CliRun r = CliRun.of("rank", "--model", CliRun.MODEL, "--query", QUERY, "--documents", docs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode results = JSON.readTree(r.out()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(results.get(0).has("document")).isFalse();
    }

    @Test
    void tokenizeGivesTheReferenceIds() throws IOException {
        CliRun r = CliRun.withStdin("{\"query\": \"" + QUERY + "\", \"document\": \"Eco-friendly kitchenware for modern "
                + "homes\"}\n{\"text\": \"short\"}\n", "tokenize", "--model", CliRun.MODEL, "--input", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> rows = lines(r.out());
        assertThat(rows.get(0).get("input_ids").toString()).isEqualTo("[0,26125,295,1345,1943,537,3190,333,8568,4172,"
                + "2,2,40,1077,16,13124,9596,1578,333,3664,5686,2]");
        assertThat(rows.get(0).get("token_type_ids")).hasSize(22);
        assertThat(rows.get(1).get("input_ids").toString()).isEqualTo("[0,19513,2]"); // "short" as in golden.jsonl
    }

    @Test
    void tokenizeTruncatesAtMaxLength() throws IOException {
        CliRun r = CliRun.withStdin("{\"query\": \"" + QUERY + "\", \"document\": \"Eco-friendly kitchenware for modern "
                + "homes\"}\n", "tokenize", "--model", CliRun.MODEL, "--input", "-", "--max-length", "10");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(lines(r.out()).get(0).get("input_ids")).hasSize(10);
    }

    @Test
    void aBadLineIsNamedByItsNumber() throws IOException {
        Path in = tmp.resolve("bad.jsonl");
        Files.writeString(in, "{\"query\": \"q\", \"document\": \"d\"}\n{\"query\": \"q\"}\n");
        CliRun r = CliRun.of("score", "--model", CliRun.MODEL, "--input", in.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("rerank4j score: " + in + ":2: missing field 'document'");
    }

    @Test
    void invalidJsonAndWrongTypesAreNamed() throws IOException {
        Path in = tmp.resolve("bad.jsonl");
        Files.writeString(in, "{\"query\": 3, \"document\": \"d\"}\n");
        assertThat(CliRun.of("score", "--model", CliRun.MODEL, "--input", in.toString()).err())
                .contains(in + ":1: field 'query' must be a string, got number");
        Files.writeString(in, "\n\n{\"query\": \n");
        assertThat(CliRun.of("score", "--model", CliRun.MODEL, "--input", in.toString()).err())
                .contains(in + ":3: not valid JSON");
    }

    @Test
    void missingModelAndInputAreClearErrors() {
        CliRun r = CliRun.of("score", "--model", "no/such/dir", "--input", "-");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no/such/dir");
        CliRun r2 = CliRun.of("score", "--model", CliRun.MODEL, "--input", "nope.jsonl");
        assertThat(r2.err()).contains("nope.jsonl: no such file");
        assertThat(r2.exitCode()).isEqualTo(1);
    }

    @Test
    void maxLengthAboveTheModelLimitIsRefused() {
        CliRun r = CliRun.withStdin("{\"query\": \"q\", \"document\": \"d\"}\n", "score", "--model", CliRun.MODEL,
                "--input", "-", "--max-length", "9000");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("max length 9000 exceeds the model's 8192 positions (jinabert-mini)");
    }

    @Test
    void embedRefusesACrossEncoder() {
        CliRun r = CliRun.withStdin("{\"text\": \"x\"}\n", "embed", "--model", CliRun.MODEL, "--input", "-");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("is a cross-encoder (JINA_BERT_CROSS_ENCODER); embeddings need a bi-encoder");
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun r = CliRun.of("score", "--model", CliRun.MODEL);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--input=FILE'");
    }
}

package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI on the ModernBERT fixture: ids and logits as the reference's (golden.jsonl pairs pub-00 and pub-02). */
class ModernBertCommandsTest {
    static final String MODEL = "../testdata/models/modernbert-mini";
    static final String PAIRS = """
            {"id": "pub-00-tiny", "query": "hi", "document": "yo"}
            {"id": "pub-02", "query": "how do bees tell each other where flowers are", "document": "Honey bees communicate the direction and distance of flowers through a waggle dance performed on the vertical comb. The angle of the dance relative to gravity encodes the angle of the food source relative to the sun, and the duration of the waggle run encodes distance."}
            """;

    private static List<JsonNode> lines(String s) {
        ObjectMapper json = new ObjectMapper();
        return s.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    @Test
    void tokenizeUsesTheClsSepTemplate() {
        CliRun r = CliRun.withStdin(PAIRS, "tokenize", "--model", MODEL, "--input", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode first = lines(r.out()).get(0);
        assertThat(first.get("input_ids").toString()).isEqualTo("[50281,5303,50282,8226,50282]");
        assertThat(first.get("token_type_ids").toString()).isEqualTo("[0,0,0,1,1]");
    }

    @Test
    void scoreGivesTheReferenceLogits() {
        CliRun r = CliRun.withStdin(PAIRS, "score", "--model", MODEL, "--input", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> rows = lines(r.out());
        assertThat(rows.get(0).get("logit").asDouble()).isCloseTo(2.090720638575976, within(1e-4));
        assertThat(rows.get(0).get("score").asDouble()).isCloseTo(0.8899979985751991, within(1e-4));
        assertThat(rows.get(1).get("id").asText()).isEqualTo("pub-02");
        assertThat(rows.get(1).get("logit").asDouble()).isCloseTo(2.3784389648932853, within(1e-4));
    }

    @Test
    void rankPutsTheHigherReferenceLogitFirst() throws IOException {
        CliRun r = CliRun.of("rank", "--model", MODEL, "--query", "hi", "yo", "Honey bees dance.");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("relevance_score").asDouble())
                .isGreaterThanOrEqualTo(results.get(1).get("relevance_score").asDouble());
        double yo = results.get(0).get("index").asInt() == 0 ? results.get(0).get("relevance_score").asDouble()
                : results.get(1).get("relevance_score").asDouble();
        assertThat(yo).isCloseTo(0.8899979985751991, within(1e-4));
    }
}

package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instruction of instruction-aware rerankers on the command line, against qwen3-reranker-mini's reference. */
class Qwen3CommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODEL = Path.of("../testdata/models/qwen3-reranker-mini");

    @TempDir
    Path tmp;

    static JsonNode golden(String id) throws IOException {
        for (String line : Files.readAllLines(MODEL.resolve("golden.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no golden pair " + id);
    }

    static double difference(JsonNode golden) {
        return golden.get("logit_yes_fp64").asDouble() - golden.get("logit_no_fp64").asDouble();
    }

    static ObjectNode pair(JsonNode golden, boolean withInstruction) {
        ObjectNode o = JSON.createObjectNode().put("id", golden.get("id").asText())
                .put("query", golden.get("query").asText()).put("document", golden.get("document").asText());
        return withInstruction ? o.put("instruction", golden.get("instruction").asText()) : o;
    }

    /**
     * Runs a JSON Lines command on two golden pairs with the second's instruction as {@code --instruction}: the
     * first line carries its own instruction field, the second none.
     */
    private List<JsonNode> runWithInstructionOption(String command, JsonNode withField, JsonNode withoutField)
            throws IOException {
        Path in = tmp.resolve("pairs.jsonl");
        Files.writeString(in, pair(withField, true) + "\n" + pair(withoutField, false) + "\n");
        CliRun r = CliRun.of(command, "--model", MODEL.toString(), "--input", in.toString(), "--instruction",
                withoutField.get("instruction").asText());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    @Test
    void scoreTakesTheInstructionOptionUnlessALineHasItsOwn() throws IOException {
        JsonNode plain = golden("pub-05");
        JsonNode custom = golden("pub-13-custom-instruction");
        List<JsonNode> rows = runWithInstructionOption("score", plain, custom);
        assertThat(rows).extracting(n -> n.get("id").asText()).containsExactly("pub-05", "pub-13-custom-instruction");
        assertThat(rows.get(0).get("logit").asDouble()).isCloseTo(difference(plain), within(1e-4));
        assertThat(rows.get(1).get("logit").asDouble()).isCloseTo(difference(custom), within(1e-4));
    }

    @Test
    void tokenizeShowsThePromptTheModelScoresWithTheInstructionOptionUnlessALineHasItsOwn() throws IOException {
        JsonNode plain = golden("pub-05");
        JsonNode custom = golden("pub-13-custom-instruction");
        List<JsonNode> rows = runWithInstructionOption("tokenize", plain, custom);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("input_ids")).isEqualTo(plain.get("input_ids"));
        assertThat(rows.get(1).get("input_ids")).isEqualTo(custom.get("input_ids"));
        assertThat(rows.get(1).get("token_type_ids")).hasSize(custom.get("input_ids").size());
    }

    @Test
    void rankTakesTheInstructionOption() throws IOException {
        JsonNode custom = golden("pub-13-custom-instruction");
        CliRun r = CliRun.of("rank", "--model", MODEL.toString(), "--query", custom.get("query").asText(),
                "--instruction", custom.get("instruction").asText(), custom.get("document").asText());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = JSON.readTree(r.out());
        assertThat(n.get("usage").get("total_tokens").asInt()).isEqualTo(custom.get("input_ids").size());
        assertThat(n.get("results").get(0).get("relevance_score").asDouble())
                .isCloseTo(1 / (1 + Math.exp(-difference(custom))), within(3e-5));
    }
}

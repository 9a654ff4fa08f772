package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** score, rank, tokenize and embed on XLM-RoBERTa models (xlmr-mini, and xlmr-mini-mean: its encoder as a bi-encoder). */
class XlmRobertaCommandsTest {
    static final Path XLMR = Path.of("../testdata/models/xlmr-mini");

    private static List<JsonNode> golden() throws IOException {
        return Files.readAllLines(XLMR.resolve("golden.jsonl")).stream().map(l -> {
            try {
                return CommandsTest.JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void scoreAndTokenizeGiveTheReferenceLogitsAndIds() throws IOException {
        List<JsonNode> golden = golden().subList(0, 4);
        StringBuilder in = new StringBuilder();
        golden.forEach(g -> in.append(CommandsTest.JSON.createObjectNode().put("query", g.get("query").asText())
                .put("document", g.get("document").asText())).append('\n'));
        CliRun score = CliRun.withStdin(in.toString(), "score", "--model", XLMR.toString(), "--input", "-");
        assertThat(score.exitCode()).as(score.err()).isZero();
        CliRun tokenize = CliRun.withStdin(in.toString(), "tokenize", "--model", XLMR.toString(), "--input", "-");
        assertThat(tokenize.exitCode()).as(tokenize.err()).isZero();
        List<String> scored = score.out().lines().toList();
        List<String> tokenized = tokenize.out().lines().toList();
        for (int i = 0; i < golden.size(); i++) {
            JsonNode g = golden.get(i);
            assertThat(CommandsTest.JSON.readTree(scored.get(i)).get("logit").asDouble())
                    .isCloseTo(g.get("logit_fp64").asDouble(), within(1e-4));
            assertThat(CommandsTest.JSON.readTree(tokenized.get(i)).get("input_ids")).isEqualTo(g.get("input_ids"));
        }
    }

    @Test
    void tokenizeRefusesMoreThanThe512Positions() {
        CliRun r = CliRun.withStdin("{\"text\": \"hi\"}\n", "tokenize", "--model", XLMR.toString(), "--input", "-",
                "--max-length", "513");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--max-length 513 exceeds the model's 512 positions");
    }

    @Test
    void rankOrdersDocumentsByTheReferenceLogits() throws IOException {
        JsonNode a = golden().get(2);
        List<JsonNode> same = golden().stream().filter(g -> g.get("query").equals(a.get("query"))).toList();
        assertThat(same).hasSize(2);
        String[] args = new String[4 + same.size()];
        args[0] = "rank";
        args[1] = "--model";
        args[2] = XLMR.toString();
        args[3] = "--query=" + a.get("query").asText();
        for (int i = 0; i < same.size(); i++) {
            args[4 + i] = same.get(i).get("document").asText();
        }
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode best = CommandsTest.JSON.readTree(r.out()).get("results").get(0);
        double top = same.stream().mapToDouble(g -> g.get("logit_fp64").asDouble()).max().orElseThrow();
        assertThat(best.get("relevance_score").asDouble()).isCloseTo(1 / (1 + Math.exp(-top)), within(1e-4));
    }

    @Test
    void embedWithAnXlmRobertaBiEncoder() throws IOException {
        JsonNode ref = CommandsTest.JSON.readTree(Files.readAllLines(XLMR.resolve("hidden_states.jsonl")).get(0));
        JsonNode states = ref.get("last_hidden_state");
        double[] mean = new double[96];
        states.forEach(row -> {
            for (int c = 0; c < 96; c++) {
                mean[c] += row.get(c).asDouble() / states.size();
            }
        });
        double norm = Math.sqrt(java.util.Arrays.stream(mean).map(v -> v * v).sum());
        CliRun r = CliRun.withStdin(CommandsTest.JSON.createObjectNode().put("text", ref.get("text").asText())
                + "\n", "embed", "--model", "../testdata/models/xlmr-mini-mean", "--input", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode embedding = CommandsTest.JSON.readTree(r.out()).get("embedding");
        assertThat(embedding).hasSize(96);
        for (int c = 0; c < 96; c++) {
            assertThat(embedding.get(c).asDouble()).isCloseTo(mean[c] / norm, within(1e-4));
        }
    }
}

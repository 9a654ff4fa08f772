package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the DeBERTa-v3 fixture: score, rank, tokenize and eval give the reference's numbers. */
class DebertaCliTest {
    static final String MODEL = "../testdata/models/deberta-v3-mini";
    static final Path GOLDEN = Path.of(MODEL, "golden.jsonl");

    @TempDir
    Path tmp;

    @Test
    void scoringTheGoldenFileGivesTheFloat64Logits() throws Exception {
        Path out = tmp.resolve("scored.jsonl");
        CliRun r = CliRun.of("score", "--model", MODEL, "--input", GOLDEN.toString(), "--output", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(21);
        for (String line : lines) {
            JsonNode n = CommandsTest.JSON.readTree(line);
            assertThat(n.get("logit").asDouble()).as(n.get("id").asText())
                    .isCloseTo(n.get("logit_fp64").asDouble(), within(1e-4));
        }
    }

    @Test
    void tokenizeGivesTheRecordedIds() throws Exception {
        CliRun r = CliRun.of("tokenize", "--model", MODEL, "--input", GOLDEN.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        List<String> golden = Files.readAllLines(GOLDEN);
        assertThat(lines).hasSameSizeAs(golden);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode got = CommandsTest.JSON.readTree(lines.get(i));
            JsonNode want = CommandsTest.JSON.readTree(golden.get(i));
            // the input's own input_ids are replaced by the tokenizer's: equal means identical ids
            assertThat(got.get("input_ids")).as(want.get("id").asText()).isEqualTo(want.get("input_ids"));
            assertThat(got.get("token_type_ids")).isEqualTo(want.get("token_type_ids"));
        }
    }

    @Test
    void rankOrdersTheDocumentsByTheirReferenceLogits() throws Exception {
        List<JsonNode> golden = Files.readAllLines(GOLDEN).stream().limit(4).map(l -> {
            try {
                return CommandsTest.JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        // pub-01's, pub-02's and pub-03's documents, against pub-01's query: reference logits recorded for
        // pub-01 only, so only the order of the top document is asserted through its logit
        CliRun r = CliRun.of("rank", "--model", MODEL, "--query", golden.get(1).get("query").asText(),
                "--top-n", "3", golden.get(1).get("document").asText(), golden.get(2).get("document").asText(),
                golden.get(3).get("document").asText());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode n = CommandsTest.JSON.readTree(r.out());
        assertThat(n.get("model").asText()).isEqualTo("deberta-v3-mini");
        JsonNode results = n.get("results");
        assertThat(results).hasSize(3);
        for (JsonNode res : results) {
            if (res.get("index").asInt() == 0) {
                assertThat(res.get("relevance_score").asDouble())
                        .isCloseTo(1 / (1 + Math.exp(-golden.get(1).get("logit_fp64").asDouble())), within(2.5e-5));
            }
        }
        for (int i = 1; i < 3; i++) {
            assertThat(results.get(i).get("relevance_score").asDouble())
                    .isLessThanOrEqualTo(results.get(i - 1).get("relevance_score").asDouble());
        }
    }

    @Test
    void evalReranksWithTheDebertaModelInEveryLongDocumentMode() throws Exception {
        Path ds = EvalCommandTest.dataset(tmp);
        for (String mode : new String[] {"truncate", "chunk", "full"}) {
            Path run = tmp.resolve(mode + ".trec");
            CliRun r = CliRun.of("eval", "--dataset", ds.toString(), "--model", MODEL, "--top-k", "3", "--threads", "1",
                    "--long-documents", mode, "--max-length", "12", "--run-out", run.toString());
            assertThat(r.exitCode()).as(mode + ": " + r.err()).isZero();
            assertThat(r.out().lines().findFirst().orElseThrow())
                    .isEqualTo("first stage: bm25(k1=0.9,b=0.4); reranker: deberta-v3-mini, top 3");
            assertThat(Files.readAllLines(run)).as(mode).hasSize(4)
                    .allMatch(l -> l.matches("q[12] Q0 d[123] [1-3] \\S+ rerank4j"));
        }
        // 12 tokens cut every pair: the whole pair (full) scores differently from its first 12 tokens
        assertThat(scores(tmp.resolve("full.trec"))).isNotEqualTo(scores(tmp.resolve("truncate.trec")));
    }

    /** "query doc" to score, from a TREC run file. */
    private static Map<String, String> scores(Path run) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String l : Files.readAllLines(run)) {
            String[] f = l.split(" ");
            out.put(f[0] + " " + f[2], f[4]);
        }
        return out;
    }
}

package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.model.Batch;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.XlmrFixtures;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XLM-R bi-encoders in sentence-transformers layout (multilingual-e5, bge-m3's dense part), built from the
 * xlmr-mini weights, against the upstream base model's float64 {@code last_hidden_state}.
 */
class XlmRobertaBiEncoderTest {

    /** One text of hidden_states.jsonl with its reference states, [tokens][hidden]. */
    record Reference(String text, int[] ids, double[][] states) {
    }

    @TempDir
    Path tmp;

    static List<Reference> references() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Reference> out = new ArrayList<>();
        for (String line : Files.readAllLines(Golden.XLMR_MINI.resolve("hidden_states.jsonl"))) {
            JsonNode n = json.readTree(line);
            JsonNode rows = n.get("last_hidden_state");
            double[][] states = new double[rows.size()][];
            for (int i = 0; i < states.length; i++) {
                states[i] = new double[rows.get(i).size()];
                for (int c = 0; c < states[i].length; c++) {
                    states[i][c] = rows.get(i).get(c).asDouble();
                }
            }
            out.add(new Reference(n.get("text").asText(), Golden.ints(n.get("input_ids")), states));
        }
        return out;
    }

    @ParameterizedTest(name = "roberta. prefix: {0}")
    @ValueSource(booleans = {true, false})
    void hiddenStatesAndMeanPoolingMatchTheBaseModel(boolean prefixed) throws IOException {
        Path dir = XlmrFixtures.biEncoder(tmp.resolve("e5-mini"), prefixed, "mean", false);
        List<Reference> refs = references();
        try (Engine engine = Engine.load(dir, EngineOptions.defaults().withThreads(2))) {
            assertThat(engine.architecture().name()).isEqualTo("XLM_ROBERTA_BI_ENCODER");
            int[][] ids = new int[refs.size()][];
            for (int t = 0; t < refs.size(); t++) {
                ids[t] = engine.tokenizer().encode(refs.get(t).text(), Truncation.longestFirst(512)).ids();
                assertThat(ids[t]).as(refs.get(t).text()).containsExactly(refs.get(t).ids());
            }
            int[][] types = new int[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                types[t] = new int[ids[t].length];
            }
            Batch batch = Batch.of(ids, types);
            float[] hidden = engine.model().hiddenStates(batch, engine.pool());
            double worst = 0;
            for (int t = 0; t < refs.size(); t++) {
                double[][] want = refs.get(t).states();
                for (int i = 0; i < want.length; i++) {
                    for (int c = 0; c < 96; c++) {
                        worst = Math.max(worst, Math.abs(hidden[(batch.start(t) + i) * 96 + c] - want[i][c]));
                    }
                }
            }
            assertThat(worst).isLessThanOrEqualTo(1e-4);
            System.out.printf("xlmr-mini base model (prefix %s): max |h - h_fp64| = %.2e%n", prefixed, worst);

            Embedder embedder = engine.embedder();
            assertThat(embedder.dimension()).isEqualTo(96);
            assertThat(embedder.normalizes()).isFalse();
            float[][] vectors = embedder.embed(refs.stream().map(Reference::text).toList());
            for (int t = 0; t < refs.size(); t++) {
                double[][] want = refs.get(t).states();
                for (int c = 0; c < 96; c++) {
                    double mean = 0;
                    for (double[] row : want) {
                        mean += row[c];
                    }
                    assertThat((double) vectors[t][c]).isCloseTo(mean / want.length, within(1e-4));
                }
            }
        }
    }

    @ParameterizedTest(name = "roberta. prefix: {0}")
    @ValueSource(booleans = {true, false})
    void clsPoolingWithNormalizeRanksByCosine(boolean prefixed) throws IOException {
        Path dir = XlmrFixtures.biEncoder(tmp.resolve("bge-m3-mini"), prefixed, "cls", true);
        List<Reference> refs = references();
        double[][] unit = new double[refs.size()][];
        for (int t = 0; t < refs.size(); t++) {
            double[] cls = refs.get(t).states()[0];
            double norm = 0;
            for (double v : cls) {
                norm += v * v;
            }
            unit[t] = new double[cls.length];
            for (int c = 0; c < cls.length; c++) {
                unit[t][c] = cls[c] / Math.sqrt(norm);
            }
        }
        try (Embedder embedder = Embedder.load(dir)) {
            assertThat(embedder.normalizes()).isTrue();
            float[][] vectors = embedder.embed(refs.stream().map(Reference::text).toList());
            for (int t = 0; t < refs.size(); t++) {
                for (int c = 0; c < 96; c++) {
                    assertThat((double) vectors[t][c]).isCloseTo(unit[t][c], within(1e-4));
                }
            }
        }
        try (Reranker reranker = Reranker.load(dir)) {
            PairScore s = reranker.score(List.of(new TextPair(refs.get(0).text(), refs.get(1).text()))).get(0);
            double cos = 0;
            for (int c = 0; c < 96; c++) {
                cos += unit[0][c] * unit[1][c];
            }
            assertThat(s.score()).isCloseTo(cos, within(1e-4));
            assertThat(s.tokens()).isEqualTo(refs.get(0).ids().length + refs.get(1).ids().length);
        }
    }
}

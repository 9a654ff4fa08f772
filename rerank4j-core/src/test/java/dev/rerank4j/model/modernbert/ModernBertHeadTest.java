package dev.rerank4j.model.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Erf;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.ModernBertFixtures;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import dev.rerank4j.weights.SafetensorsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base model's hidden states against the reference, and the classification head (both poolings) against a
 * hand computation in double precision from those hidden states.
 */
class ModernBertHeadTest {
    static ComputePool pool;
    static ModernBertEncoder base;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
        base = (ModernBertEncoder) Model.load(ModernBertFixtures.biEncoder(tmp.resolve("bi"), "mean"),
                KernelsProvider.choose());
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void baseModelHiddenStatesMatchTheReference() throws IOException {
        assertThat(base.numLabels()).isZero();
        Tokenizer tokenizer = Tokenizer.load(Golden.MODERNBERT_MINI);
        List<String> lines = Files.readAllLines(Golden.MODERNBERT_MINI.resolve("hidden_states.jsonl"));
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode n = new ObjectMapper().readTree(line);
            Encoding e = tokenizer.encode(n.get("text").asText(), Truncation.none());
            assertThat(e.ids()).as(n.get("id").asText()).containsExactly(Golden.ints(n.get("input_ids")));
            float[] hidden = base.hiddenStates(Batch.of(new int[][] {e.ids()}, null), pool);
            JsonNode rows = n.get("last_hidden_state");
            int h = base.config().hiddenSize();
            assertThat(hidden).hasSize(rows.size() * h);
            double max = 0;
            for (int i = 0; i < rows.size(); i++) {
                for (int c = 0; c < h; c++) {
                    max = Math.max(max, Math.abs(hidden[i * h + c] - rows.get(i).get(c).asDouble()));
                }
            }
            assertThat(max).as("max |diff| of %s", n.get("id").asText()).isLessThan(1e-4);
        }
    }

    @Test
    void clsAndMeanPoolingScoreDifferentlyAndAsTheHeadComputedByHand() {
        ModernBertEncoder mean = (ModernBertEncoder) Model.load(Golden.MODERNBERT_MINI, KernelsProvider.choose());
        ModernBertEncoder cls = (ModernBertEncoder) Model.load(ModernBertFixtures.crossEncoderWithConfig(
                tmp.resolve("cls"), c -> c.put("classifier_pooling", "cls")), KernelsProvider.choose());
        assertThat(cls.config().classifierPooling()).isEqualTo(ModernBertConfig.HeadPooling.CLS);
        try (SafetensorsSource w = SafetensorsSource.open(Golden.MODERNBERT_MINI)) {
            for (Golden.Pair p : Golden.pairs(Golden.MODERNBERT_MINI).subList(0, 6)) {
                Batch batch = Batch.of(new int[][] {p.inputIds()}, null);
                float[] hidden = base.hiddenStates(batch, pool);
                float meanLogit = mean.logits(batch, pool)[0];
                float clsLogit = cls.logits(batch, pool)[0];
                assertThat((double) meanLogit).as("mean, pair %s", p.id()).isCloseTo(p.expected(), within(1e-4))
                        .isCloseTo(head(w, pooled(hidden, p.length(), false)), within(1e-4));
                assertThat((double) clsLogit).as("cls, pair %s", p.id())
                        .isCloseTo(head(w, pooled(hidden, p.length(), true)), within(1e-4));
                assertThat(Math.abs(clsLogit - meanLogit)).as("pair %s", p.id()).isGreaterThan(1e-2f);
            }
        }
    }

    private static double[] pooled(float[] hidden, int len, boolean cls) {
        int h = hidden.length / len;
        double[] v = new double[h];
        for (int c = 0; c < h; c++) {
            if (cls) {
                v[c] = hidden[c];
                continue;
            }
            for (int i = 0; i < len; i++) {
                v[c] += hidden[i * h + c] / len;
            }
        }
        return v;
    }

    /** {@code classifier(LayerNorm(gelu(head.dense · x)))}, norms without bias, eps 1e-5. */
    private static double head(SafetensorsSource w, double[] x) {
        int h = x.length;
        float[] dense = w.get("head.dense.weight").toFloats();
        float[] gamma = w.get("head.norm.weight").toFloats();
        float[] cls = w.get("classifier.weight").toFloats();
        double[] y = new double[h];
        double mu = 0;
        for (int o = 0; o < h; o++) {
            double s = 0;
            for (int i = 0; i < h; i++) {
                s += dense[o * h + i] * x[i];
            }
            y[o] = s / 2 * Erf.erfc(-s / Math.sqrt(2));
            mu += y[o] / h;
        }
        double var = 0;
        for (double v : y) {
            var += (v - mu) * (v - mu) / h;
        }
        double logit = w.get("classifier.bias").toFloats()[0];
        for (int o = 0; o < h; o++) {
            logit += cls[o] * (y[o] - mu) / Math.sqrt(var + 1e-5) * gamma[o];
        }
        return logit;
    }
}

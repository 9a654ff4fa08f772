package dev.rerank4j.model.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reference logits of modernbert-mini (upstream transformers, fp64) reproduced from the recorded input_ids. */
class ModernBertGoldenTest {
    static ComputePool pool;
    static ModernBertEncoder model;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
        model = (ModernBertEncoder) Model.load(Golden.MODERNBERT_MINI, KernelsProvider.choose());
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static float logitAlone(ModernBertEncoder m, Golden.Pair p) {
        return m.logits(Batch.of(new int[][] {p.inputIds()}, null), pool)[0];
    }

    @Test
    void configIsReadAsTheReferenceHasIt() {
        ModernBertConfig c = model.config();
        assertThat(c.headDim()).isEqualTo(18);
        assertThat(c.classifierPooling()).isEqualTo(ModernBertConfig.HeadPooling.MEAN);
        assertThat(c.localRadius()).isEqualTo(64);
        assertThat(List.of(c.isGlobal(0), c.isGlobal(1), c.isGlobal(2), c.isGlobal(3)))
                .containsExactly(true, false, false, true);
        assertThat(model.numLabels()).isEqualTo(1);
    }

    @Test
    void rotaryFrequenciesAreTheReferenceFloats() throws IOException {
        JsonNode debug = new ObjectMapper().readTree(Files.readString(Golden.MODERNBERT_MINI.resolve("debug_first_pair.json")));
        for (boolean global : new boolean[] {true, false}) {
            JsonNode expected = debug.get(global ? "rope_inv_freq_global" : "rope_inv_freq_local");
            float[] actual = model.ropeInvFreq(global);
            assertThat(actual).hasSize(expected.size());
            for (int t = 0; t < actual.length; t++) {
                assertThat(actual[t]).as("%s inv_freq[%d]", global ? "global" : "local", t)
                        .isEqualTo((float) expected.get(t).asDouble());
            }
        }
    }

    @Test
    void everyGoldenPairMatchesTheReferenceWithTheChosenKernels() {
        List<Golden.Pair> pairs = Golden.pairs(Golden.MODERNBERT_MINI);
        assertThat(pairs).hasSize(22);
        for (Golden.Pair p : pairs) {
            assertThat(p.fp64()).isTrue();
            assertThat((double) logitAlone(model, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(1e-4));
        }
    }

    @Test
    void scalarReferenceKernelsMatchToo() {
        ModernBertEncoder scalar = (ModernBertEncoder) Model.load(Golden.MODERNBERT_MINI, new ScalarKernels());
        for (Golden.Pair p : Golden.pairs(Golden.MODERNBERT_MINI)) {
            assertThat((double) logitAlone(scalar, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(1e-4));
        }
    }

    @Test
    void aShuffledBatchGivesEachPairItsOwnLogitBitForBit() {
        List<Golden.Pair> pairs = new ArrayList<>(Golden.pairs(Golden.MODERNBERT_MINI));
        Collections.shuffle(pairs, new Random(7));
        int[][] ids = pairs.stream().map(Golden.Pair::inputIds).toArray(int[][]::new);
        float[] logits = model.logits(Batch.of(ids, null), pool);
        for (int i = 0; i < pairs.size(); i++) {
            Golden.Pair p = pairs.get(i);
            assertThat((double) logits[i]).as("pair %s in batch", p.id()).isCloseTo(p.expected(), within(1e-4));
            assertThat(logits[i]).as("batch-independence of %s", p.id()).isEqualTo(logitAlone(model, p));
        }
    }
}

package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.testing.Golden;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reference logits of jinabert-mini reproduced from the given input_ids, alone and batched. */
class JinaBertGoldenIdsTest {
    static ComputePool pool;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static float logitAlone(Model m, Golden.Pair p) {
        return m.logits(Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()}), pool)[0];
    }

    @Test
    void everyGoldenPairMatchesTheReferenceWithTheChosenKernels() {
        Model m = Model.load(Golden.JINABERT_MINI, KernelsProvider.choose());
        assertThat(m.architecture().name()).isEqualTo("JINA_BERT_CROSS_ENCODER");
        assertThat(m.numLabels()).isEqualTo(1);
        for (Golden.Pair p : Golden.pairs()) {
            assertThat((double) logitAlone(m, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(p.tolerance()));
        }
    }

    @Test
    void scalarReferenceKernelsMatchToo() {
        Model m = Model.load(Golden.JINABERT_MINI, new ScalarKernels());
        for (Golden.Pair p : Golden.pairs()) {
            if (p.length() > 2000) {
                continue; // the long pairs run through the chosen kernels above; the scalar path is slow there
            }
            assertThat((double) logitAlone(m, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(p.tolerance()));
        }
    }

    @Test
    void aShuffledBatchGivesEachPairItsOwnLogit() {
        Model m = Model.load(Golden.JINABERT_MINI, KernelsProvider.choose());
        List<Golden.Pair> pairs = new ArrayList<>(Golden.pairs().stream().filter(p -> p.length() <= 512).toList());
        Collections.shuffle(pairs, new Random(7));
        int[][] ids = pairs.stream().map(Golden.Pair::inputIds).toArray(int[][]::new);
        int[][] types = pairs.stream().map(Golden.Pair::typeIds).toArray(int[][]::new);
        float[] logits = m.logits(Batch.of(ids, types), pool);
        for (int i = 0; i < pairs.size(); i++) {
            Golden.Pair p = pairs.get(i);
            assertThat((double) logits[i]).as("pair %s in batch", p.id()).isCloseTo(p.expected(), within(1e-4));
            assertThat(logits[i]).as("batch-independence of %s", p.id()).isCloseTo(logitAlone(m, p), within(1e-6f));
        }
    }
}

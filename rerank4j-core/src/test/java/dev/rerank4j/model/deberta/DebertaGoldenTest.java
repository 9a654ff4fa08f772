package dev.rerank4j.model.deberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deberta-v3-mini's reference logits and hidden states (upstream transformers, float64) from the given ids. */
class DebertaGoldenTest {
    static ComputePool pool;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Model load(Kernels kernels) {
        return Model.load(Golden.DEBERTA_V3_MINI, kernels);
    }

    /** The same weights as a base model (architectures DebertaV2Model): the encoder without its head. */
    static Model loadBase(Path dir, Kernels kernels) throws IOException {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(Golden.DEBERTA_V3_MINI.resolve("config.json").toFile());
        config.putArray("architectures").add("DebertaV2Model");
        Files.writeString(dir.resolve("config.json"), config.toString());
        Files.copy(Golden.DEBERTA_V3_MINI.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return Model.load(dir, kernels);
    }

    static float logitAlone(Model m, Golden.Pair p) {
        return m.logits(Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()}), pool)[0];
    }

    @Test
    void everyGoldenPairMatchesTheFloat64ReferenceWithTheChosenKernels() {
        Model m = load(KernelsProvider.choose());
        assertThat(m.architecture().name()).isEqualTo("DEBERTA_V2_CROSS_ENCODER");
        assertThat(m.numLabels()).isEqualTo(1);
        assertThat(m.maxPositions()).isEqualTo(512);
        List<Golden.Pair> pairs = Golden.pairs(Golden.DEBERTA_V3_MINI);
        assertThat(pairs).hasSize(21).allMatch(Golden.Pair::fp64);
        for (Golden.Pair p : pairs) {
            assertThat((double) logitAlone(m, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(1e-4));
        }
    }

    @Test
    void scalarReferenceKernelsMatchToo() {
        Model m = load(new ScalarKernels());
        for (Golden.Pair p : Golden.pairs(Golden.DEBERTA_V3_MINI)) {
            assertThat((double) logitAlone(m, p)).as("pair %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(1e-4));
        }
    }

    @Test
    void aShuffledBatchGivesEachPairItsOwnLogit() {
        Model m = load(KernelsProvider.choose());
        List<Golden.Pair> pairs = new ArrayList<>(Golden.pairs(Golden.DEBERTA_V3_MINI));
        Collections.shuffle(pairs, new Random(7));
        int[][] ids = pairs.stream().map(Golden.Pair::inputIds).toArray(int[][]::new);
        int[][] types = pairs.stream().map(Golden.Pair::typeIds).toArray(int[][]::new);
        float[] logits = m.logits(Batch.of(ids, types), pool);
        for (int i = 0; i < pairs.size(); i++) {
            Golden.Pair p = pairs.get(i);
            assertThat((double) logits[i]).as("pair %s in batch", p.id()).isCloseTo(p.expected(), within(1e-4));
            assertThat(logits[i]).as("pair %s in batch vs alone", p.id()).isEqualTo(logitAlone(m, p));
        }
    }

    @Test
    void hiddenStatesOfTheBaseModelMatchTheReference(@TempDir Path dir) throws IOException {
        Model m = loadBase(dir, KernelsProvider.choose());
        assertThat(m.architecture().name()).isEqualTo("DEBERTA_V2_BI_ENCODER");
        assertThat(m.pooling().mode()).isEqualTo(Pooling.Mode.MEAN);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(Golden.DEBERTA_V3_MINI.resolve("hidden_states.jsonl"));
        assertThat(lines).hasSize(3);
        int h = m.hiddenSize();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            int[] ids = json.convertValue(n.get("input_ids"), int[].class);
            float[] states = m.hiddenStates(Batch.of(new int[][] {ids}, null), pool);
            JsonNode expected = n.get("last_hidden_state");
            assertThat(expected).hasSize(ids.length);
            double worst = 0;
            for (int r = 0; r < ids.length; r++) {
                assertThat(expected.get(r)).hasSize(h);
                for (int c = 0; c < h; c++) {
                    worst = Math.max(worst, Math.abs(states[r * h + c] - expected.get(r).get(c).asDouble()));
                }
            }
            assertThat(worst).as("max |difference| of %s", n.get("id").asText()).isLessThanOrEqualTo(1e-4);
        }
    }
}

package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.model.Batch;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.SafetensorsWriter;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import dev.rerank4j.testing.XlmrFixtures;
import dev.rerank4j.weights.SafetensorsSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bge-reranker layouts' storage variants: F16 and BF16 tensors, sharded checkpoints. */
class XlmRobertaWeightsTest {
    private static final List<Golden.Pair> PAIRS = Golden.pairs(Golden.XLMR_MINI).subList(0, 6);

    @TempDir
    Path tmp;

    private static float[] logits(Path dir) {
        try (Engine engine = Engine.load(dir, EngineOptions.defaults().withThreads(2))) {
            int[][] ids = PAIRS.stream().map(Golden.Pair::inputIds).toArray(int[][]::new);
            int[][] types = PAIRS.stream().map(Golden.Pair::typeIds).toArray(int[][]::new);
            return engine.model().logits(Batch.of(ids, types), engine.pool());
        }
    }

    /** Each F32 value through {@code round} (on its bits), stored as F32, or as the 16-bit dtype when half. */
    private static Entry rounded(Entry e, IntUnaryOperator round, String halfDtype) {
        ByteBuffer in = ByteBuffer.wrap(e.data()).order(ByteOrder.LITTLE_ENDIAN);
        int n = e.data().length / 4;
        ByteBuffer out = ByteBuffer.allocate(halfDtype == null ? 4 * n : 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int bits = round.applyAsInt(in.getInt());
            if (halfDtype == null) {
                out.putInt(bits);
            } else if (halfDtype.equals("BF16")) {
                out.putShort((short) (bits >>> 16));
            } else {
                out.putShort(Float.floatToFloat16(Float.intBitsToFloat(bits)));
            }
        }
        return new Entry(halfDtype == null ? "F32" : halfDtype, e.shape(), out.array());
    }

    private void assertHalfLoadsAsItsRoundedValues(String dtype, IntUnaryOperator round) throws IOException {
        float[] half = logits(XlmrFixtures.copy(tmp.resolve(dtype), (name, e) -> rounded(e, round, dtype)));
        float[] widened = logits(XlmrFixtures.copy(tmp.resolve(dtype + "-as-f32"), (name, e) -> rounded(e, round, null)));
        for (int i = 0; i < PAIRS.size(); i++) {
            assertThat(half[i]).as(PAIRS.get(i).id()).isEqualTo(widened[i]);
            // The rounding is visible, and small: bf16 keeps 8 bits of mantissa, f16 11.
            assertThat((double) half[i]).isCloseTo(PAIRS.get(i).expected(), within(0.05));
        }
    }

    @Test
    void f16Tensors() throws IOException {
        assertHalfLoadsAsItsRoundedValues("F16",
                bits -> Float.floatToRawIntBits(Float.float16ToFloat(Float.floatToFloat16(Float.intBitsToFloat(bits)))));
    }

    @Test
    void bf16Tensors() throws IOException {
        assertHalfLoadsAsItsRoundedValues("BF16", bits -> bits & 0xFFFF0000);
    }

    @Test
    void shardedCheckpointGivesTheReferenceLogits() throws IOException {
        Path dir = XlmrFixtures.copy(tmp.resolve("sharded"), (name, e) -> e);
        Files.delete(dir.resolve("model.safetensors"));
        SafetensorsWriter[] shards = {new SafetensorsWriter(), new SafetensorsWriter()};
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        try (SafetensorsSource src = SafetensorsSource.open(Golden.XLMR_MINI)) {
            int i = 0;
            for (String name : src.names()) {
                int s = i++ % 2;
                shards[s].put(name, Entry.f32(src.get(name).shape(), src.get(name).toFloats()));
                map.put(name, "model-0000" + (s + 1) + "-of-00002.safetensors");
            }
        }
        shards[0].write(dir.resolve("model-00001-of-00002.safetensors"));
        shards[1].write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
        float[] logits = logits(dir);
        for (int i = 0; i < PAIRS.size(); i++) {
            assertThat((double) logits[i]).as(PAIRS.get(i).id()).isCloseTo(PAIRS.get(i).expected(), within(1e-4));
        }
    }
}

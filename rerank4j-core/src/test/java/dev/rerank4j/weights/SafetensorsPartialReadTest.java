package dev.rerank4j.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.SafetensorsWriter;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a checkpoint a part at a time into heap memory that the next part reuses. */
class SafetensorsPartialReadTest {
    @TempDir
    Path dir;

    private static float[] values(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * scale;
        }
        return v;
    }

    @Test
    void readsOnlyTheWantedTensorsIntoOneBufferThatTheNextPartReuses() throws IOException {
        float[] big = values(600 * 1000, 0.5f); // 2.4 MB: read in several pieces
        float[] small = values(12, -1f);
        new SafetensorsWriter().put("layer.0.big", Entry.f32(new int[] {600, 1000}, big))
                .put("layer.0.small", Entry.f32(new int[] {3, 4}, small))
                .put("layer.1.small", Entry.f32(new int[] {3, 4}, values(12, 2f)))
                .write(dir.resolve("model.safetensors"));

        ByteBuffer first;
        try (SafetensorsSource src = SafetensorsSource.open(dir, n -> n.startsWith("layer.0."), null)) {
            assertThat(src.names()).containsExactly("layer.0.big", "layer.0.small");
            assertThat(src.get("layer.0.big", 600, 1000).toFloats()).isEqualTo(big);
            assertThat(src.get("layer.0.small", 3, 4).toFloats()).containsExactly(small);
            first = src.buffer();
            assertThat(first.capacity()).isEqualTo(4 * (big.length + small.length));
        }
        try (SafetensorsSource src = SafetensorsSource.open(dir, n -> n.startsWith("layer.1."), first)) {
            assertThat(src.buffer()).isSameAs(first);
            assertThat(src.get("layer.1.small", 3, 4).toFloats()).containsExactly(values(12, 2f));
        }
        ByteBuffer tooSmall = ByteBuffer.allocate(8);
        try (SafetensorsSource src = SafetensorsSource.open(dir, n -> n.equals("layer.0.small"), tooSmall)) {
            assertThat(src.buffer()).isNotSameAs(tooSmall);
            assertThat(src.get("layer.0.small", 3, 4).toFloats()).containsExactly(small);
        }
    }
}

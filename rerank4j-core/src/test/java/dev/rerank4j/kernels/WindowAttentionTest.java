package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Sliding-window attention: the scalar reference against full attention, the vector kernels against both. */
class WindowAttentionTest {
    private static final int HEADS = 2;
    final ScalarKernels scalar = new ScalarKernels();
    final VectorKernels vector = new VectorKernels();

    /** Scores of a few units, so the softmax is neither flat nor one-hot. */
    private static float[] qkv(RandomTensors rnd, int rows, int headDim) {
        float[] qkv = rnd.floats(rows * 3 * HEADS * headDim);
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] *= 2;
        }
        return qkv;
    }

    @Test
    void aWindowCoveringTheSequenceIsFullAttention() {
        RandomTensors rnd = new RandomTensors(11);
        int headDim = 16;
        for (int len : new int[] {1, 9, 40}) {
            float[] qkv = qkv(rnd, len + 3, headDim);
            float[] full = new float[(len + 3) * HEADS * headDim];
            float[] windowed = new float[full.length];
            for (int h = 0; h < HEADS; h++) {
                scalar.attention(qkv, full, 3, len, len, HEADS, headDim, h, 0f);
                scalar.attentionWindow(qkv, windowed, 3, len, len, HEADS, headDim, h, len);
            }
            for (int i = 0; i < full.length; i++) {
                assertThat(windowed[i]).as("len %d element %d", len, i).isCloseTo(full[i], within(1e-6f));
            }
        }
    }

    @Test
    void aRowIgnoresKeysOutsideItsWindow() {
        RandomTensors rnd = new RandomTensors(12);
        int headDim = 8;
        int len = 50;
        int radius = 4;
        float[] qkv = qkv(rnd, len, headDim);
        float[] before = new float[len * HEADS * headDim];
        scalar.attentionWindow(qkv, before, 0, len, len, HEADS, headDim, 0, radius);
        float[] changed = qkv.clone();
        int hidden = HEADS * headDim;
        // token 30's keys and values: outside row 20's window [16, 24], inside row 27's [23, 31]
        java.util.Arrays.fill(changed, 30 * 3 * hidden + hidden, 31 * 3 * hidden, 9f);
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] after = new float[before.length];
            k.attentionWindow(changed, after, 0, len, len, HEADS, headDim, 0, radius);
            int row20 = 20 * HEADS * headDim;
            for (int d = 0; d < headDim; d++) {
                assertThat(after[row20 + d]).as("%s row 20 dim %d", k.name(), d)
                        .isCloseTo(before[row20 + d], within(1e-6f));
            }
            assertThat(after[27 * HEADS * headDim]).as("%s row 27 sees token 30", k.name())
                    .isNotCloseTo(before[27 * HEADS * headDim], within(1e-3f));
        }
    }

    @Test
    void vectorKernelsMatchTheReferenceForAnyLengthHeadSizeAndRadius() {
        RandomTensors rnd = new RandomTensors(13);
        for (int headDim : new int[] {8, 18, 64}) {
            for (int len : new int[] {1, 7, 64, 130, 333}) {
                for (int radius : new int[] {0, 3, 64, 200}) {
                    int before = 5; // the sequence sits after another one in the batch
                    float[] qkv = qkv(rnd, before + len, headDim);
                    float[] expected = new float[(before + len) * HEADS * headDim];
                    float[] actual = new float[expected.length];
                    for (int h = 0; h < HEADS; h++) {
                        scalar.attentionWindow(qkv, expected, before, len, len, HEADS, headDim, h, radius);
                        vector.attentionWindow(qkv, actual, before, len, len, HEADS, headDim, h, radius);
                    }
                    for (int i = 0; i < actual.length; i++) {
                        assertThat(actual[i]).as("d=%d len=%d radius=%d, element %d", headDim, len, radius, i)
                                .isCloseTo(expected[i], within(2e-6f));
                    }
                }
            }
        }
    }

    @Test
    void aSequenceGetsBitIdenticalOutputWhereverItSitsInTheBatch() {
        RandomTensors rnd = new RandomTensors(14);
        int headDim = 64;
        int len = 300;
        int width = 3 * HEADS * headDim;
        float[] alone = qkv(rnd, len, headDim);
        float[] batched = new float[(len + 17) * width];
        System.arraycopy(rnd.floats(17 * width), 0, batched, 0, 17 * width);
        System.arraycopy(alone, 0, batched, 17 * width, alone.length);
        float[] a = new float[len * HEADS * headDim];
        float[] b = new float[(len + 17) * HEADS * headDim];
        for (int h = 0; h < HEADS; h++) {
            vector.attentionWindow(alone, a, 0, len, len, HEADS, headDim, h, 64);
            vector.attentionWindow(batched, b, 17, len, len, HEADS, headDim, h, 64);
        }
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToRawIntBits(b[17 * HEADS * headDim + i])).as("element %d", i)
                    .isEqualTo(Float.floatToRawIntBits(a[i]));
        }
    }
}

package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DeBERTa's disentangled attention: the vector kernel against the scalar reference, and batch independence. */
class RelativeAttentionTest {
    final ScalarKernels scalar = new ScalarKernels();
    final VectorKernels vector = new VectorKernels();

    /**
     * A bucketing shaped like DeBERTa's: the distance itself up to 4, then compressed, clamped into
     * {@code 2 * span} rows, non-decreasing.
     */
    static int[] indexTable(int longest, int span) {
        int[] t = new int[2 * longest - 1];
        for (int i = 0; i < t.length; i++) {
            int r = i - (longest - 1);
            int b = Math.abs(r) <= 4 ? r : Integer.signum(r) * (4 + (Math.abs(r) - 4) / 3);
            t[i] = Math.clamp(b + span, 0, 2 * span - 1);
        }
        return t;
    }

    @Test
    void matchesTheReferenceForAnyLengthHeadSizeAndTableSize() {
        RandomTensors rnd = new RandomTensors(13);
        int heads = 2;
        for (int headDim : new int[] {12, 64}) {
            for (int span : new int[] {16, 100}) {
                for (int len : new int[] {1, 2, 7, 13, 64, 65, 130, 300}) {
                    int hidden = heads * headDim;
                    int before = 3; // the sequence sits after another one in the batch
                    int rows = before + len;
                    float[] qkv = rnd.floats(rows * 3 * hidden);
                    PackedMatrix[] sPk = new PackedMatrix[heads];
                    PackedMatrix[] sPq = new PackedMatrix[heads];
                    PackedMatrix[] vPk = new PackedMatrix[heads];
                    PackedMatrix[] vPq = new PackedMatrix[heads];
                    for (int h = 0; h < heads; h++) {
                        float[] pk = rnd.floats(2 * span * headDim);
                        float[] pq = rnd.floats(2 * span * headDim);
                        sPk[h] = scalar.pack(RandomTensors.tensor("pk", pk, 2 * span, headDim));
                        sPq[h] = scalar.pack(RandomTensors.tensor("pq", pq, 2 * span, headDim));
                        vPk[h] = vector.pack(RandomTensors.tensor("pk", pk, 2 * span, headDim));
                        vPq[h] = vector.pack(RandomTensors.tensor("pq", pq, 2 * span, headDim));
                    }
                    int longest = len + 9; // a table made for the batch's longest sequence
                    int[] table = indexTable(longest, span);
                    float scale = (float) (1 / Math.sqrt(3.0 * headDim)) * 3; // scores of a few units
                    float[] expected = new float[rows * hidden];
                    float[] actual = new float[rows * hidden];
                    for (int h = 0; h < heads; h++) {
                        scalar.relativeAttention(qkv, expected, before, len, len, heads, headDim, h, sPk[h], sPq[h], table,
                                longest - 1, scale);
                        vector.relativeAttention(qkv, actual, before, len, len, heads, headDim, h, vPk[h], vPq[h], table,
                                longest - 1, scale);
                    }
                    for (int i = before * hidden; i < actual.length; i++) {
                        assertThat(actual[i]).as("d=%d span=%d len=%d, element %d", headDim, span, len, i)
                                .isCloseTo(expected[i], within(5e-6f));
                    }

                    // the same sequence alone, at row 0, with a table for itself only: bit-identical output
                    float[] alone = new float[len * hidden];
                    float[] qkvAlone = Arrays.copyOfRange(qkv, before * 3 * hidden, qkv.length);
                    for (int h = 0; h < heads; h++) {
                        vector.relativeAttention(qkvAlone, alone, 0, len, len, heads, headDim, h, vPk[h], vPq[h],
                                indexTable(len, span), len - 1, scale);
                    }
                    assertThat(alone).as("d=%d span=%d len=%d alone", headDim, span, len)
                            .containsExactly(Arrays.copyOfRange(actual, before * hidden, actual.length));
                }
            }
        }
    }
}

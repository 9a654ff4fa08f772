package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;
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
        return table(longest, span, r -> Math.abs(r) <= 4 ? r : Integer.signum(r) * (4 + (Math.abs(r) - 4) / 3));
    }

    /** {@code t[longest - 1 + r]}: the bucket of distance r shifted by the span, clamped into the 2 * span rows. */
    private static int[] table(int longest, int span, IntUnaryOperator bucket) {
        int[] t = new int[2 * longest - 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.clamp(bucket.applyAsInt(i - (longest - 1)) + span, 0, 2 * span - 1);
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

    /**
     * DeBERTa's bucketing at a smaller size: the distance itself up to half the buckets, then logarithmic up to
     * maxPosition, shifted by the span (the buckets) and clamped.
     */
    static int[] logBucketTable(int longest, int buckets, int maxPosition) {
        int mid = buckets / 2;
        double logRange = Math.log((maxPosition - 1) / (double) mid);
        return table(longest, buckets, r -> Math.abs(r) <= mid ? r
                : Integer.signum(r) * ((int) Math.ceil(Math.log(Math.abs(r) / (double) mid) / logRange * (mid - 1))
                        + mid));
    }

    /**
     * Sequences longer than twice the linear buckets, so that rows meet keys in the linear and in the log buckets and
     * vectors of keys straddle the border: the contiguous reads of the linear buckets give the same bits as gathering
     * every term, and the output matches the scalar reference; the first query alone gives its row's bits.
     */
    @Test
    void linearBucketsGiveTheBitsOfTheGathersInBothRegions() {
        RandomTensors rnd = new RandomTensors(29);
        int heads = 1;
        int buckets = 64;
        for (int headDim : new int[] {12, 64}) {
            for (int len : new int[] {40, 150, 257}) {
                int before = 5;
                int rows = before + len;
                float[] qkv = rnd.floats(rows * 3 * headDim);
                float[] pk = rnd.floats(2 * buckets * headDim);
                float[] pq = rnd.floats(2 * buckets * headDim);
                PackedMatrix vPk = vector.pack(RandomTensors.tensor("pk", pk, 2 * buckets, headDim));
                PackedMatrix vPq = vector.pack(RandomTensors.tensor("pq", pq, 2 * buckets, headDim));
                int longest = len + 3;
                int[] table = logBucketTable(longest, buckets, 512);
                int linear = VectorKernels.linearDistances(table, longest - 1, len);
                assertThat(linear).isBetween(Math.min(buckets / 2, len - 1), len - 1); // the first log bucket may match too
                float scale = (float) (1 / Math.sqrt(3.0 * headDim)) * 3;
                float[] gathered = new float[rows * headDim];
                float[] runs = new float[rows * headDim];
                float[] first = new float[rows * headDim];
                float[] expected = new float[rows * headDim];
                vector.relativeAttention(qkv, gathered, before, len, len, heads, headDim, 0, vPk, vPq, table,
                        longest - 1, scale, 0);
                vector.relativeAttention(qkv, runs, before, len, len, heads, headDim, 0, vPk, vPq, table, longest - 1,
                        scale);
                vector.relativeAttention(qkv, first, before, len, 1, heads, headDim, 0, vPk, vPq, table, longest - 1,
                        scale);
                scalar.relativeAttention(qkv, expected, before, len, len, heads, headDim, 0,
                        scalar.pack(RandomTensors.tensor("pk", pk, 2 * buckets, headDim)),
                        scalar.pack(RandomTensors.tensor("pq", pq, 2 * buckets, headDim)), table, longest - 1, scale);
                assertThat(runs).as("d=%d len=%d", headDim, len).containsExactly(gathered);
                assertThat(Arrays.copyOfRange(first, before * headDim, (before + 1) * headDim))
                        .as("d=%d len=%d first query", headDim, len)
                        .containsExactly(Arrays.copyOfRange(runs, before * headDim, (before + 1) * headDim));
                for (int i = before * headDim; i < runs.length; i++) {
                    assertThat(runs[i]).as("d=%d len=%d, element %d", headDim, len, i)
                            .isCloseTo(expected[i], within(5e-6f));
                }
            }
        }
    }
}

package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decoder kernels: BF16 kept 16-bit with the float kernel's bits, SwiGLU, causal grouped-query attention. */
class DecoderKernelsTest {
    static ComputePool pool;
    static final VectorKernels VECTOR = new VectorKernels();
    static final DecoderKernels DECODER = DecoderKernels.forKernels(VECTOR);
    static final DecoderKernels SCALAR = DecoderKernels.forKernels(new ScalarKernels());

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** The values rounded to BF16, as a BF16 tensor. */
    static Tensor bf16(String name, float[] values, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(toBf16(v));
        }
        return Tensor.of(name, DType.BF16, new int[] {rows, cols}, b.flip());
    }

    /** Round to nearest even, as torch's float-to-bfloat16 conversion. */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    @Test
    void bf16WeightsStay16BitAndGiveTheFloatKernelsBits() {
        RandomTensors r = new RandomTensors(7);
        for (int[] shape : new int[][] {{1, 64, 128}, {5, 33, 70}, {13, 96, 64}, {40, 200, 160}, {7, 31, 8}}) {
            int m = shape[0], n = shape[1], k = shape[2];
            Tensor w16 = bf16("w", r.floats(n * k), n, k);
            Tensor w32 = RandomTensors.tensor("w", w16.toFloats(), n, k);
            PackedMatrix packed = DECODER.pack(w16);
            assertThat(packed).isInstanceOf(VectorDecoderKernels.Bf16Panels.class);
            float[] a = r.floats(m * k);
            float[] ours = new float[m * n];
            float[] reference = new float[m * n];
            DECODER.matmul(a, m, packed, ours, pool);
            VECTOR.matmul(a, m, VECTOR.pack(w32), null, Activation.IDENTITY, reference, pool);
            assertThat(ours).as("m=%d n=%d k=%d", m, n, k).containsExactly(reference);
        }
    }

    @Test
    void stackedBf16BlocksPackAsOneMatrix() {
        RandomTensors r = new RandomTensors(8);
        Tensor a = bf16("a", r.floats(20 * 16), 20, 16);
        Tensor b = bf16("b", r.floats(50 * 16), 50, 16);
        float[] x = r.floats(3 * 16);
        float[] stacked = new float[3 * 70];
        DECODER.matmul(x, 3, DECODER.pack(a, b), stacked, pool);
        float[] first = new float[3 * 20];
        DECODER.matmul(x, 3, DECODER.pack(a), first, pool);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 20; j++) {
                assertThat(stacked[i * 70 + j]).isEqualTo(first[i * 20 + j]);
            }
        }
    }

    @Test
    void siluMulMatchesItsDefinition() {
        RandomTensors r = new RandomTensors(9);
        int m = 3, n = 37;
        float[] gu = r.floats(m * 2 * n);
        for (int i = 0; i < gu.length; i++) {
            gu[i] *= 40; // into both tails
        }
        gu[5] = -200;
        float[] vec = new float[m * n];
        float[] ref = new float[m * n];
        DECODER.siluMul(gu, m, n, vec, pool);
        SCALAR.siluMul(gu, m, n, ref, pool);
        for (int i = 0; i < vec.length; i++) {
            assertThat(vec[i]).isCloseTo(ref[i], within(2e-6f * Math.max(1, Math.abs(ref[i]))));
        }
    }

    @Test
    void causalAttentionMatchesTheReferenceAndARowsBitsDependOnlyOnItsQueryAndKeys() {
        RandomTensors r = new RandomTensors(10);
        for (int hd : new int[] {32, 40, 128}) {
            for (int group : new int[] {1, 2}) {
                for (int[] shape : new int[][] {{0, 1}, {0, 7}, {5, 6}, {120, 13}, {250, 20}, {290, 3}}) {
                    int pos0 = shape[0], rows = shape[1], keys = pos0 + rows;
                    String what = "hd %d group %d pos0 %d rows %d".formatted(hd, group, pos0, rows);
                    int qStride = group * hd + 7;
                    float[] q = r.floats(rows * qStride);
                    int align = DECODER.keyAlignment();
                    int stride = Math.ceilDiv(keys, align) * align + align;
                    float[] kT = r.floats(hd * stride + 5);
                    float[] v = r.floats(keys * hd + 3);
                    float scale = (float) (1 / Math.sqrt(hd)) * 3;
                    int outStride = group * hd + 3;
                    float[] vec = new float[rows * outStride];
                    float[] ref = new float[rows * outStride];
                    DECODER.attendCausal(q, 0, qStride, rows, group, pos0, kT, 0, stride, v, 0, hd, scale, vec, 0,
                            outStride);
                    SCALAR.attendCausal(q, 0, qStride, rows, group, pos0, kT, 0, stride, v, 0, hd, scale, ref, 0,
                            outStride);
                    for (int i = 0; i < vec.length; i++) {
                        assertThat(vec[i]).as("%s at %d", what, i).isCloseTo(ref[i], within(1e-5f));
                    }
                    // each row alone, its keys moved to another offset and stride (and, past its own, different):
                    // the same bits
                    int stride2 = stride + 2 * align;
                    for (int i = 0; i < rows; i++) {
                        int own = pos0 + i + 1;
                        float[] kT2 = r.floats(5 + hd * stride2);
                        for (int d = 0; d < hd; d++) {
                            System.arraycopy(kT, d * stride, kT2, 5 + d * stride2, own);
                        }
                        float[] v2 = r.floats(11 + keys * hd);
                        System.arraycopy(v, 0, v2, 11, own * hd);
                        float[] q2 = new float[3 + group * hd];
                        System.arraycopy(q, i * qStride, q2, 3, group * hd);
                        float[] alone = new float[2 + group * hd];
                        DECODER.attendCausal(q2, 3, 0, 1, group, pos0 + i, kT2, 5, stride2, v2, 11, hd, scale,
                                alone, 2, 0);
                        assertThat(java.util.Arrays.copyOfRange(alone, 2, 2 + group * hd)).as("%s row %d", what, i)
                                .containsExactly(java.util.Arrays.copyOfRange(vec, i * outStride,
                                        i * outStride + group * hd));
                    }
                }
            }
        }
    }
}

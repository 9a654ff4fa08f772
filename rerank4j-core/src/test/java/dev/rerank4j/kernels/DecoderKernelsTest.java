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

/** The decoder kernels: BF16 kept 16-bit with the float kernel's bits, SwiGLU, causal attention rows. */
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
    void attentionRowsMatchTheReferenceAndDoNotDependOnWhereTheKeysSit() {
        RandomTensors r = new RandomTensors(10);
        for (int hd : new int[] {32, 40, 128}) {
            for (int keys : new int[] {1, 7, 8, 33, 300}) {
                float[] q = r.floats(hd);
                int stride = Math.ceilDiv(keys, 8) * 8 + 16;
                float[] kT = r.floats(hd * stride + 5);
                float[] v = r.floats(keys * hd + 3);
                float[] vec = new float[hd];
                float[] ref = new float[hd];
                float scale = (float) (1 / Math.sqrt(hd)) * 3;
                DECODER.attendRow(q, 0, kT, 0, stride, v, 0, keys, hd, scale, vec, 0);
                SCALAR.attendRow(q, 0, kT, 0, stride, v, 0, keys, hd, scale, ref, 0);
                for (int d = 0; d < hd; d++) {
                    assertThat(vec[d]).as("hd %d keys %d d %d", hd, keys, d).isCloseTo(ref[d], within(1e-5f));
                }
                // the same keys at another offset and stride, the same values elsewhere: the same bits
                int stride2 = stride + 24;
                float[] kT2 = new float[5 + hd * stride2];
                for (int d = 0; d < hd; d++) {
                    System.arraycopy(kT, d * stride, kT2, 5 + d * stride2, keys);
                }
                float[] v2 = new float[11 + keys * hd];
                System.arraycopy(v, 0, v2, 11, keys * hd);
                float[] moved = new float[hd + 2];
                DECODER.attendRow(q, 0, kT2, 5, stride2, v2, 11, keys, hd, scale, moved, 2);
                assertThat(java.util.Arrays.copyOfRange(moved, 2, hd + 2)).containsExactly(vec);
            }
        }
    }
}

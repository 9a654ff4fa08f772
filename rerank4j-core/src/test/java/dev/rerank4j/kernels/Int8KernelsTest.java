package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Quantization;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The int8 kernels against the definition written out in this test, bit for bit: the integer sums and the float
 * rescaling are the same in both implementations; the activation is the one of the float kernels of the same kind
 * ({@link Activation#apply} in the scalar reference, {@link VectorMath} in the vector kernels).
 */
class Int8KernelsTest {
    private static final ComputePool POOL = new ComputePool(2);
    private static final Int8Kernels SCALAR = new ScalarInt8Kernels();
    private static final Int8Kernels VECTOR = new VectorInt8Kernels();

    @AfterAll
    static void close() {
        POOL.close();
    }

    /** Per-channel int8 weights with zero points, and per-tensor uint8 ones, at shapes off the kernels' blocking. */
    @Test
    void matmulIsTheDefinitionBitForBitInBothImplementations() {
        Random random = new Random(7);
        for (int[] shape : new int[][] {{1, 1, 1}, {5, 37, 19}, {13, 64, 48}, {9, 384, 1}, {8, 1100, 20}}) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[] a = randomFloats(random, m * k, 3f);
            float[] bias = randomFloats(random, n, 1f);
            RowGroups groups = m >= 5 ? new RowGroups(new int[] {0, 2, 2, m}) : RowGroups.eachRow(m);
            for (Tensor w : new Tensor[] {int8PerChannel(random, n, k), uint8PerTensor(random, n, k)}) {
                float[] y = definition(a, groups, w, bias);
                for (Activation act : new Activation[] {Activation.IDENTITY, Activation.GELU}) {
                    for (Int8Kernels kernels : new Int8Kernels[] {SCALAR, VECTOR}) {
                        float[] c = new float[m * n];
                        kernels.matmul(a, groups, kernels.pack(w), bias, act, c, POOL);
                        assertThat(c).as("%s %s %s m=%d k=%d n=%d", kernels.name(), act, w, m, k, n)
                                .containsExactly(activated(kernels, act, y));
                    }
                }
            }
        }
    }

    /**
     * The largest products (255 · -128) over K = 1,536: sums far beyond float's 2^24, which the vector kernels
     * carry to int every 512 inputs, exactly.
     */
    @Test
    void extremeProductsSumExactlyOverLongRows() {
        int m = 7;
        int k = 1536;
        int n = 17;
        byte[] data = new byte[n * k];
        Arrays.fill(data, (byte) -128);
        Tensor w = Tensor.quantized("w", DType.I8, new int[] {n, k}, ByteBuffer.wrap(data),
                Quantization.perTensor(1f, 0));
        float[] a = new float[m * k];
        Arrays.fill(a, 1f);
        float[] y = definition(a, RowGroups.eachRow(m), w, null);
        assertThat(y[0]).isEqualTo((float) (255L * -128 * k) * (1f / 255f * 1f));
        for (Int8Kernels kernels : new Int8Kernels[] {SCALAR, VECTOR}) {
            float[] c = new float[m * n];
            kernels.matmul(a, RowGroups.eachRow(m), kernels.pack(w), null, Activation.IDENTITY, c, POOL);
            assertThat(c).as(kernels.name()).containsExactly(y);
        }
    }

    @Test
    void aGroupGivesTheSameBitsAloneAndAmongOthers() {
        Random random = new Random(3);
        int k = 40;
        int n = 24;
        Tensor w = int8PerChannel(random, n, k);
        float[] a = randomFloats(random, 11 * k, 2f);
        RowGroups groups = new RowGroups(new int[] {0, 3, 4, 11});
        for (Int8Kernels kernels : new Int8Kernels[] {SCALAR, VECTOR}) {
            QuantizedMatrix packed = kernels.pack(w);
            float[] together = new float[11 * n];
            kernels.matmul(a, groups, packed, null, Activation.IDENTITY, together, POOL);
            for (int g = 0; g < groups.count(); g++) {
                int rows = groups.end(g) - groups.start(g);
                float[] alone = new float[rows * n];
                kernels.matmul(Arrays.copyOfRange(a, groups.start(g) * k, groups.end(g) * k),
                        new RowGroups(new int[] {0, rows}), packed, null, Activation.IDENTITY, alone, POOL);
                assertThat(Arrays.copyOfRange(together, groups.start(g) * n, groups.end(g) * n)).containsExactly(alone);
            }
        }
    }

    @Test
    void gatedUnitMultipliesTheActivatedGateByTheLinearHalf() {
        Random random = new Random(5);
        int m = 6;
        int k = 32;
        int n = 20;
        Tensor w = int8PerChannel(random, 2 * n, k);
        float[] a = randomFloats(random, m * k, 1f);
        float[] bias = randomFloats(random, 2 * n, 1f);
        RowGroups groups = RowGroups.eachRow(m);
        float[] y = definition(a, groups, w, bias);
        for (Int8Kernels kernels : new Int8Kernels[] {SCALAR, VECTOR}) {
            float[] c = new float[m * n];
            kernels.matmulGated(a, groups, kernels.packGated(w), bias, Activation.GELU, c, POOL);
            float[] gates = activated(kernels, Activation.GELU, y);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < n; j++) {
                    assertThat(c[r * n + j]).isEqualTo(gates[r * 2 * n + j] * y[r * 2 * n + n + j]);
                }
            }
        }
    }

    /** DynamicQuantizeLinear's corner cases: an all-zero group (scale 1), a non-negative one (zero point 0), ties. */
    @Test
    void activationQuantizationFollowsOnnxRuntime() {
        QuantizedRows q = new QuantizedRows();
        q.quantize(new float[] {0f, 0f, 0f, 0f}, RowGroups.eachRow(1), 4, POOL);
        assertThat(q.scale[0]).isEqualTo(1f);
        assertThat(q.zeroPoint[0]).isZero();
        // range [0, 2.55]: scale 0.01; 0.005 / 0.01 = 0.5 rounds to even (0), 0.015 / 0.01 = 1.5 to 2
        q.quantize(new float[] {2.55f, 0.005f, 0.015f, 1f}, RowGroups.eachRow(1), 4, POOL);
        float scale = 2.55f / 255f;
        assertThat(q.scale[0]).isEqualTo(scale);
        assertThat(q.zeroPoint[0]).isZero();
        assertThat((int) q.q[0]).isEqualTo(255);
        assertThat((int) q.q[1]).isEqualTo((int) Math.rint(0.005f / scale));
        assertThat((int) q.q[3]).isEqualTo((int) Math.rint(1f / scale));
        // range [-1, 3]: zero point = round(1 / (4 / 255)) = round(63.75) = 64
        q.quantize(new float[] {-1f, 3f}, RowGroups.eachRow(1), 2, POOL);
        assertThat(q.zeroPoint[0]).isEqualTo(64);
        assertThat((int) q.q[0]).isEqualTo(0);
        assertThat((int) q.q[1]).isEqualTo(255);
        assertThat(q.sum[0]).isEqualTo(255);
    }

    /**
     * The computation as ONNX Runtime runs the quantize_dynamic pattern, element by element: quantize each group,
     * sum (a - za)(w - zw) exactly, cast, multiply by (sa * sw), add the bias.
     */
    private static float[] definition(float[] a, RowGroups groups, Tensor w, float[] bias) {
        int n = w.shape()[0];
        int k = w.shape()[1];
        float[] c = new float[groups.rows() * n];
        for (int g = 0; g < groups.count(); g++) {
            float min = 0f;
            float max = 0f;
            for (int i = groups.start(g) * k; i < groups.end(g) * k; i++) {
                min = Math.min(min, a[i]);
                max = Math.max(max, a[i]);
            }
            float sa = max == min ? 1f : (max - min) / 255f;
            int za = (int) Math.rint(Math.max(0f, Math.min(255f, -min / sa)));
            for (int r = groups.start(g); r < groups.end(g); r++) {
                for (int j = 0; j < n; j++) {
                    long sum = 0;
                    for (int kk = 0; kk < k; kk++) {
                        int qa = Math.max(0, Math.min(255, (int) Math.rint(a[r * k + kk] / sa) + za));
                        sum += (long) (qa - za) * (w.getInt(j, kk) - w.quantization().zeroPoint(j));
                    }
                    float y = (float) sum * (sa * w.quantization().scale(j));
                    c[r * n + j] = bias == null ? y : bias[j] + y;
                }
            }
        }
        return c;
    }

    /** The activation as the float kernels of the same implementation compute it, element by element. */
    private static float[] activated(Int8Kernels kernels, Activation act, float[] y) {
        float[] out = y.clone();
        if (kernels == VECTOR) {
            VectorMath.activate(act, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = act.apply(out[i]);
            }
        }
        return out;
    }

    private static Tensor int8PerChannel(Random random, int rows, int cols) {
        byte[] data = new byte[rows * cols];
        random.nextBytes(data);
        float[] scales = new float[rows];
        int[] zeroPoints = new int[rows];
        for (int r = 0; r < rows; r++) {
            scales[r] = 0.001f + random.nextFloat() * 0.05f;
            zeroPoints[r] = random.nextInt(21) - 10;
        }
        return Tensor.quantized("w", DType.I8, new int[] {rows, cols}, ByteBuffer.wrap(data),
                new Quantization(scales, zeroPoints));
    }

    private static Tensor uint8PerTensor(Random random, int rows, int cols) {
        byte[] data = new byte[rows * cols];
        random.nextBytes(data);
        return Tensor.quantized("w", DType.U8, new int[] {rows, cols}, ByteBuffer.wrap(data),
                Quantization.perTensor(0.02f, 131));
    }

    private static float[] randomFloats(Random random, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian() * scale;
        }
        return x;
    }
}

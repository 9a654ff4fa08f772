package dev.rerank4j.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 kernels on the Vector API, multiplying in float. The Vector API has no widening integer multiply-add
 * (vpmaddwd, vpmaddubsw, VNNI's vpdpbusd); widening bytes to int lanes and multiplying with vpmulld ran at half the
 * fp32 GEMM's rate. Float arithmetic on these integers is exact: every product is at most 255 · 128 in size and a
 * sum of {@value #CHUNK} of them stays below 2^24, so each FMA's result is an integer float represents exactly,
 * whatever the order; the sums are carried to int every {@value #CHUNK} inputs, and the result is the exact integer
 * sum of the scalar reference. A weight panel (16 outputs) is widened to float once per band of rows
 * ({@link #preparePanel}; widening every load in the inner loop ran at half the rate), then multiplied with
 * broadcast activations six rows by sixteen outputs at a time (12 accumulators, as the fp32 GEMM's AVX2 tile).
 */
public final class VectorInt8Kernels extends AbstractInt8Kernels {
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    /** 512 · 255 · 128 = 16,711,680 < 2^24: the longest run of products a float accumulator holds exactly. */
    static final int CHUNK = 512;
    /**
     * The k loop runs in blocks of a constant trip count, then the remainder, as the fp32 micro-kernels do: as one
     * plain loop C2's code ran at half the rate under the serial collector (the launcher's).
     */
    private static final int KB = 16;

    private final ThreadLocal<float[]> parts = ThreadLocal.withInitial(() -> new float[MR * NR]);
    /** The current panel's weights as floats, widened once for a band of row blocks. */
    private final ThreadLocal<float[]> panels = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public String name() {
        return "vector int8 (" + F256.vectorBitSize() + "-bit, weights widened to float, exact sums)";
    }

    @Override
    void activate(Activation act, float[] x, int off, int len) {
        VectorMath.activate(act, x, off, len);
    }

    @Override
    void preparePanel(QuantizedMatrix w, int panel) {
        float[] f = panels.get();
        if (f.length < w.cols * NR) {
            f = new float[w.cols * NR];
            panels.set(f);
        }
        int base = panel * w.cols * NR;
        for (int i = 0; i < w.cols * NR; i += 8) {
            ((IntVector) ByteVector.fromArray(B64, w.data, base + i).convertShape(VectorOperators.B2I, I256, 0))
                    .convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(f, i);
        }
    }

    @Override
    void tile(QuantizedRows qa, int row0, int nr, QuantizedMatrix w, int panel, float[] bias, int[] sums,
            float[] out) {
        float[] part = parts.get();
        float[] p = panels.get();
        for (int k0 = 0; k0 < w.cols; k0 += CHUNK) {
            int k1 = Math.min(w.cols, k0 + CHUNK);
            if (nr == MR) {
                block(qa.q, row0, w.cols, p, k0, k1, part);
            } else {
                for (int r = 0; r < nr; r++) {
                    row(qa.q, row0 + r, w.cols, p, k0, k1, part, r * NR);
                }
            }
            // each chunk's sums are exact integers below 2^24: carried to int, exactly
            for (int i = 0; i < nr * NR; i++) {
                sums[i] = k0 == 0 ? (int) part[i] : sums[i] + (int) part[i];
            }
        }
        rescale(qa, row0, nr, w, panel, bias, sums, out);
    }

    /** Rows row0 .. row0 + 5 over inputs [k0, k1): their exact sums, as floats, into part. */
    private static void block(float[] q, int row0, int k, float[] p, int k0, int k1, float[] part) {
        int len = k1 - k0;
        int wOff = k0 * NR;
        int a0 = row0 * k + k0;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        FloatVector c00 = FloatVector.zero(F256);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        int whole = len - len % KB;
        for (int p0 = 0; p0 < whole; p0 += KB) {
            for (int i = 0; i < KB; i++) {
                int kk = p0 + i;
                int wi = wOff + kk * NR;
                FloatVector w0 = FloatVector.fromArray(F256, p, wi);
                FloatVector w1 = FloatVector.fromArray(F256, p, wi + 8);
                FloatVector x = FloatVector.broadcast(F256, q[a0 + kk]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                x = FloatVector.broadcast(F256, q[a1 + kk]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                x = FloatVector.broadcast(F256, q[a2 + kk]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                x = FloatVector.broadcast(F256, q[a3 + kk]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
                x = FloatVector.broadcast(F256, q[a4 + kk]);
                c40 = w0.fma(x, c40);
                c41 = w1.fma(x, c41);
                x = FloatVector.broadcast(F256, q[a5 + kk]);
                c50 = w0.fma(x, c50);
                c51 = w1.fma(x, c51);
            }
        }
        for (int kk = whole; kk < len; kk++) {
            int wi = wOff + kk * NR;
            FloatVector w0 = FloatVector.fromArray(F256, p, wi);
            FloatVector w1 = FloatVector.fromArray(F256, p, wi + 8);
            FloatVector x = FloatVector.broadcast(F256, q[a0 + kk]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            x = FloatVector.broadcast(F256, q[a1 + kk]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            x = FloatVector.broadcast(F256, q[a2 + kk]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            x = FloatVector.broadcast(F256, q[a3 + kk]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            x = FloatVector.broadcast(F256, q[a4 + kk]);
            c40 = w0.fma(x, c40);
            c41 = w1.fma(x, c41);
            x = FloatVector.broadcast(F256, q[a5 + kk]);
            c50 = w0.fma(x, c50);
            c51 = w1.fma(x, c51);
        }
        c00.intoArray(part, 0);
        c01.intoArray(part, 8);
        c10.intoArray(part, NR);
        c11.intoArray(part, NR + 8);
        c20.intoArray(part, 2 * NR);
        c21.intoArray(part, 2 * NR + 8);
        c30.intoArray(part, 3 * NR);
        c31.intoArray(part, 3 * NR + 8);
        c40.intoArray(part, 4 * NR);
        c41.intoArray(part, 4 * NR + 8);
        c50.intoArray(part, 5 * NR);
        c51.intoArray(part, 5 * NR + 8);
    }

    /** One row over inputs [k0, k1), into part at {@code at}: the rows left when the height is not a multiple of 6. */
    private static void row(float[] q, int row, int k, float[] p, int k0, int k1, float[] part, int at) {
        int len = k1 - k0;
        int wOff = k0 * NR;
        int a = row * k + k0;
        FloatVector c0 = FloatVector.zero(F256);
        FloatVector c1 = c0;
        for (int kk = 0; kk < len; kk++) {
            int wi = wOff + kk * NR;
            FloatVector x = FloatVector.broadcast(F256, q[a + kk]);
            c0 = FloatVector.fromArray(F256, p, wi).fma(x, c0);
            c1 = FloatVector.fromArray(F256, p, wi + 8).fma(x, c1);
        }
        c0.intoArray(part, at);
        c1.intoArray(part, at + 8);
    }

    /** {@link AbstractInt8Kernels#epilogue} lane-wise: the same integer and float operations, so the same bits. */
    private static void rescale(QuantizedRows qa, int row0, int nr, QuantizedMatrix w, int panel, float[] bias,
            int[] sums, float[] out) {
        int k = w.cols;
        for (int h = 0; h < NR; h += 8) {
            int col = panel * NR + h;
            IntVector zw = IntVector.fromArray(I256, w.zeroPoints, col);
            IntVector colSum = IntVector.fromArray(I256, w.sums, col);
            FloatVector sw = FloatVector.fromArray(F256, w.scales, col);
            VectorMask<Float> valid = F256.indexInRange(col, w.rows);
            FloatVector b = bias == null ? null : FloatVector.fromArray(F256, bias, col, valid);
            for (int r = 0; r < nr; r++) {
                int row = row0 + r;
                int za = qa.zeroPoint[row];
                IntVector exact = IntVector.fromArray(I256, sums, r * NR + h).sub(zw.mul(qa.sum[row]))
                        .sub(colSum.mul(za)).add(zw.mul(k * za));
                FloatVector y = ((FloatVector) exact.convert(VectorOperators.I2F, 0)).mul(sw.mul(qa.scale[row]));
                if (b != null) {
                    y = b.add(y);
                }
                y.blend(0f, valid.not()).intoArray(out, r * NR + h);
            }
        }
    }
}

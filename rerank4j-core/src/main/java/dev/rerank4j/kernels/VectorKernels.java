package dev.rerank4j.kernels;

import static dev.rerank4j.kernels.VectorMath.S;

import dev.rerank4j.weights.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * Kernels on the incubating Vector API. Only loaded when {@code jdk.incubator.vector} is present.
 *
 * <p>The matrix multiply is register-blocked: a micro-kernel keeps an {@value #MR} x {@code NV·L} block of the
 * output (L = lanes per vector) in vector registers, and per step of the inner dimension loads {@link #NV}
 * weight vectors and broadcasts {@value #MR} activations, so every load feeds several fused multiply-adds.
 * Weights are packed once into panels of {@code NV·L} outputs, each panel storing its weights k-major so the
 * micro-kernel reads them sequentially; groups of panels are sized to stay in the L2 cache while all rows
 * stream past them. Either tile shape accumulates each output over k in the same order, so the choice changes
 * speed, not bits.
 */
final class VectorKernels implements Kernels {
    private static final int L = S.length();
    static final int MR = 6;
    /**
     * Weight vectors per micro-kernel step. With 512-bit vectors (AVX-512's 32 registers) the 6x4 tile, its 4
     * weight vectors and the broadcast fit in registers; AVX2 and 128-bit ISAs have 16, where that tile spilled
     * to the stack on every step (a third of OpenBLAS's rate per core on an AVX2 Zen 4), so they take 6x2.
     */
    static final int NV = L >= 16 ? 4 : 2;
    static final int NR = NV * L;
    /** Floats of packed weights a thread keeps hot while rows stream past: half of a 1 MB L2. */
    private static final int L2_FLOATS = 128 * 1024;
    /**
     * Most keys per attention block, a whole number of micro-kernel panels ({@link #NR} keys) at any vector
     * width. The value accumulators stay in registers across a block, and a block's scores for all {@link #BQ} rows
     * (6 KB) stay in L1 beside the keys and values they meet; 64, 256 and 512 measured no faster.
     */
    private static final int BK = 128;
    /** Query rows per attention block: two micro-kernel calls, sharing each block of transposed keys. */
    private static final int BQ = 2 * MR;
    /** How far a score may exceed a row's running max before the max is moved (e^16 ~ 9e6). */
    private static final float RESCALE_MARGIN = 16f;

    /**
     * Weights in panels of {@link #NR} outputs: {@code data[(p * cols + k) * NR + c]} is output
     * {@code p * NR + c}'s weight for input k, zero past the last output. Gated panels hold {@code NR / 2} gate
     * outputs and then the same {@code NR / 2} linear outputs.
     */
    record Panels(int rows, int cols, boolean gated, float[] data) implements PackedMatrix {
        /** Outputs written per panel. */
        int outputsPerPanel() {
            return gated ? NR / 2 : NR;
        }

        int outputs() {
            return gated ? rows / 2 : rows;
        }

        int panels() {
            return Math.ceilDiv(outputs(), outputsPerPanel());
        }
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        int rows = ScalarKernels.stackedRows(rowBlocks);
        int cols = rowBlocks[0].shape()[1];
        Panels p = new Panels(rows, cols, false, new float[Math.multiplyExact(Math.ceilDiv(rows, NR) * NR, cols)]);
        int r = 0;
        for (Tensor t : rowBlocks) {
            for (int tr = 0; tr < t.shape()[0]; tr++, r++) {
                placeRow(t, tr, cols, p.data(), r / NR, r % NR);
            }
        }
        return p;
    }

    @Override
    public PackedMatrix packGated(Tensor gateThenLinear) {
        ScalarKernels.checkGated(gateThenLinear);
        int cols = gateThenLinear.shape()[1];
        int n = gateThenLinear.shape()[0] / 2;
        int half = NR / 2;
        Panels p = new Panels(2 * n, cols, true, new float[Math.multiplyExact(Math.ceilDiv(n, half) * NR, cols)]);
        for (int j = 0; j < n; j++) {
            placeRow(gateThenLinear, j, cols, p.data(), j / half, j % half);
            placeRow(gateThenLinear, n + j, cols, p.data(), j / half, half + j % half);
        }
        return p;
    }

    /** Copies one weight row (one output's weights) into its lane of a panel, widening to float once. */
    private static void placeRow(Tensor t, int row, int cols, float[] panels, int panel, int lane) {
        int base = panel * cols * NR + lane;
        for (int k = 0; k < cols; k++) {
            panels[base + k * NR] = t.get(row, k);
        }
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, int from, int to, float[] bias, Activation act, float[] c,
            int ldc, ComputePool pool) {
        if (from < 0 || to > w.rows() || from > to) {
            throw new IllegalArgumentException("outputs [" + from + ", " + to + ") of " + w.rows());
        }
        gemm(a, m, panels(w, false), new Columns(from, to, ldc), bias, act, c, pool);
    }

    @Override
    public void matmulGated(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        Panels p = panels(w, true);
        gemm(a, m, p, new Columns(0, p.outputs(), p.outputs()), bias, act, c, pool);
    }

    /** The outputs [from, to) a product stores, in rows of c ldc floats apart. */
    private record Columns(int from, int to, int ldc) {
    }

    private static Panels panels(PackedMatrix w, boolean gated) {
        if (!(w instanceof Panels p) || p.gated() != gated) {
            throw new IllegalArgumentException("weights " + w + " were not packed by " + (gated ? "packGated" : "pack")
                    + " of the vector kernels");
        }
        return p;
    }

    private void gemm(float[] a, int m, Panels w, Columns out, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        if (out.from() == out.to()) {
            return;
        }
        int rowBlocks = Math.ceilDiv(m, MR);
        int first = out.from() / w.outputsPerPanel();
        int last = Math.ceilDiv(out.to(), w.outputsPerPanel());
        if (rowBlocks >= 4 * pool.threads()) {
            // Each thread takes a band of rows against all weights: weights are shared through L3, rows are not.
            pool.forRange(rowBlocks, 2, (b0, b1) -> band(a, m, w, out, bias, act, c, b0, b1, first, last));
        } else {
            pool.forRange(last - first, 1,
                    (p0, p1) -> band(a, m, w, out, bias, act, c, 0, rowBlocks, first + p0, first + p1));
        }
    }

    /** Row blocks [b0, b1) times panels [p0, p1), a cache-sized group of panels at a time. */
    private void band(float[] a, int m, Panels w, Columns out, float[] bias, Activation act, float[] c, int b0,
            int b1, int p0, int p1) {
        int k = w.cols();
        float[] tile = scratch.get().tile(MR * NR + MR * NR / 2); // the tile, then storeGated's gates
        int group = Math.max(1, L2_FLOATS / (k * NR));
        for (int g0 = p0; g0 < p1; g0 += group) {
            int g1 = Math.min(p1, g0 + group);
            for (int b = b0; b < b1; b++) {
                int r0 = b * MR;
                int rows = Math.min(MR, m - r0);
                for (int p = g0; p < g1; p++) {
                    microKernel(a, r0 * k, k, rows, k, w.data(), p * k * NR, tile, 0, NR);
                    if (w.gated()) {
                        storeGated(tile, rows, w, p, bias, act, c, r0);
                    } else {
                        store(tile, rows, w, p, out, bias, act, c, r0);
                    }
                }
            }
        }
    }

    /**
     * The micro-kernels' k loop runs in blocks of KB steps with a constant trip count, then the remainder (the same
     * order over k, hence the same bits). Written as one plain loop, C2's code for it depended on the collector:
     * under the serial and parallel collectors (no safepoint polls in counted loops, -XX:-UseCountedLoopSafepoints;
     * the serial one is the JVM's choice on machines with one CPU or under 1792 MB, and the launcher's) the 6 x 2
     * kernel ran at 10-34 GFLOP/s on one thread instead of 70-80 under G1; a nested loop with a variable inner trip
     * count turned it round (fast under serial, 10 under G1). This form runs at 70-80 under all three.
     */
    private static final int KB = 16;

    /**
     * {@code tile[MR, NR] = A · panel}, where row r of A is the k floats at {@code a[aOff + r * lda]}, and the tile
     * is at {@code tileOff} with rows {@code ldt} floats apart. Rows past the valid ones repeat the last valid row,
     * so the loop needs no edge cases; their results are never stored.
     */
    private static void microKernel(float[] a, int aOff, int lda, int rows, int k, float[] w, int wOff,
            float[] tile, int tileOff, int ldt) {
        if (NV == 4) {
            microKernel4(a, aOff, lda, rows, k, w, wOff, tile, tileOff, ldt);
        } else {
            microKernel2(a, aOff, lda, rows, k, w, wOff, tile, tileOff, ldt);
        }
    }

    /**
     * {@link #microKernel} for 16 vector registers: a {@value #MR} x 2L tile in 12 of them. The weight rows are
     * {@link #NR} floats apart, a constant, so C2 proves the weight loads in bounds once per loop and drops their
     * range checks; with the distance a parameter ({@link #stridedKernel2}) it checked both loads and recomputed
     * the index with a multiply on every step, and the multiply ran 7-12% slower (75.5 against 81.1 GFLOP/s
     * under the serial collector, 70.9 against 79.4 under G1, K = 384, one thread, medians of 15 alternating
     * rounds). The bits are the same.
     */
    private static void microKernel2(float[] a, int aOff, int lda, int rows, int k, float[] w, int wOff,
            float[] tile, int tileOff, int ldt) {
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * lda;
        int a2 = aOff + Math.min(2, rows - 1) * lda;
        int a3 = aOff + Math.min(3, rows - 1) * lda;
        int a4 = aOff + Math.min(4, rows - 1) * lda;
        int a5 = aOff + Math.min(5, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        int whole = k - k % KB;
        for (int p0 = 0; p0 < whole; p0 += KB) {
            for (int i = 0; i < KB; i++) {
                int p = p0 + i;
                int wi = wOff + p * NR;
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                x = FloatVector.broadcast(S, a[a1 + p]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                x = FloatVector.broadcast(S, a[a2 + p]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                x = FloatVector.broadcast(S, a[a3 + p]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
                x = FloatVector.broadcast(S, a[a4 + p]);
                c40 = w0.fma(x, c40);
                c41 = w1.fma(x, c41);
                x = FloatVector.broadcast(S, a[a5 + p]);
                c50 = w0.fma(x, c50);
                c51 = w1.fma(x, c51);
            }
        }
        for (int p = whole; p < k; p++) {
            int wi = wOff + p * NR;
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = w0.fma(x, c40);
            c41 = w1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = w0.fma(x, c50);
            c51 = w1.fma(x, c51);
        }
        c00.intoArray(tile, tileOff);
        c01.intoArray(tile, tileOff + L);
        c10.intoArray(tile, tileOff + ldt);
        c11.intoArray(tile, tileOff + ldt + L);
        c20.intoArray(tile, tileOff + 2 * ldt);
        c21.intoArray(tile, tileOff + 2 * ldt + L);
        c30.intoArray(tile, tileOff + 3 * ldt);
        c31.intoArray(tile, tileOff + 3 * ldt + L);
        c40.intoArray(tile, tileOff + 4 * ldt);
        c41.intoArray(tile, tileOff + 4 * ldt + L);
        c50.intoArray(tile, tileOff + 5 * ldt);
        c51.intoArray(tile, tileOff + 5 * ldt + L);
    }

    /**
     * {@link #microKernel2} with the weight rows {@code ldw} floats apart. With {@code accumulate}, the products are
     * added to the tile's values instead of replacing them (attention's weighted values, whose weights are the
     * values' rows).
     */
    static void stridedKernel2(float[] a, int aOff, int lda, int rows, int k, float[] w, int wOff, int ldw,
            float[] tile, int tileOff, int ldt, boolean accumulate) {
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * lda;
        int a2 = aOff + Math.min(2, rows - 1) * lda;
        int a3 = aOff + Math.min(3, rows - 1) * lda;
        int a4 = aOff + Math.min(4, rows - 1) * lda;
        int a5 = aOff + Math.min(5, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, tile, tileOff);
            c01 = FloatVector.fromArray(S, tile, tileOff + L);
            c10 = FloatVector.fromArray(S, tile, tileOff + ldt);
            c11 = FloatVector.fromArray(S, tile, tileOff + ldt + L);
            c20 = FloatVector.fromArray(S, tile, tileOff + 2 * ldt);
            c21 = FloatVector.fromArray(S, tile, tileOff + 2 * ldt + L);
            c30 = FloatVector.fromArray(S, tile, tileOff + 3 * ldt);
            c31 = FloatVector.fromArray(S, tile, tileOff + 3 * ldt + L);
            c40 = FloatVector.fromArray(S, tile, tileOff + 4 * ldt);
            c41 = FloatVector.fromArray(S, tile, tileOff + 4 * ldt + L);
            c50 = FloatVector.fromArray(S, tile, tileOff + 5 * ldt);
            c51 = FloatVector.fromArray(S, tile, tileOff + 5 * ldt + L);
        }
        int whole = k - k % KB;
        for (int p0 = 0; p0 < whole; p0 += KB) {
            for (int i = 0; i < KB; i++) {
                int p = p0 + i;
                int wi = wOff + p * ldw;
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                x = FloatVector.broadcast(S, a[a1 + p]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                x = FloatVector.broadcast(S, a[a2 + p]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                x = FloatVector.broadcast(S, a[a3 + p]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
                x = FloatVector.broadcast(S, a[a4 + p]);
                c40 = w0.fma(x, c40);
                c41 = w1.fma(x, c41);
                x = FloatVector.broadcast(S, a[a5 + p]);
                c50 = w0.fma(x, c50);
                c51 = w1.fma(x, c51);
            }
        }
        for (int p = whole; p < k; p++) {
            int wi = wOff + p * ldw;
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = w0.fma(x, c40);
            c41 = w1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = w0.fma(x, c50);
            c51 = w1.fma(x, c51);
        }
        c00.intoArray(tile, tileOff);
        c01.intoArray(tile, tileOff + L);
        c10.intoArray(tile, tileOff + ldt);
        c11.intoArray(tile, tileOff + ldt + L);
        c20.intoArray(tile, tileOff + 2 * ldt);
        c21.intoArray(tile, tileOff + 2 * ldt + L);
        c30.intoArray(tile, tileOff + 3 * ldt);
        c31.intoArray(tile, tileOff + 3 * ldt + L);
        c40.intoArray(tile, tileOff + 4 * ldt);
        c41.intoArray(tile, tileOff + 4 * ldt + L);
        c50.intoArray(tile, tileOff + 5 * ldt);
        c51.intoArray(tile, tileOff + 5 * ldt + L);
    }

    /** {@link #microKernel} for 32 vector registers: a {@value #MR} x 4L tile in 24 of them. */
    private static void microKernel4(float[] a, int aOff, int lda, int rows, int k, float[] w, int wOff,
            float[] tile, int tileOff, int ldt) {
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * lda;
        int a2 = aOff + Math.min(2, rows - 1) * lda;
        int a3 = aOff + Math.min(3, rows - 1) * lda;
        int a4 = aOff + Math.min(4, rows - 1) * lda;
        int a5 = aOff + Math.min(5, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int whole = k - k % KB;
        for (int p0 = 0; p0 < whole; p0 += KB) {
            for (int i = 0; i < KB; i++) {
                int p = p0 + i;
                int wi = wOff + p * NR;
                FloatVector w0 = FloatVector.fromArray(S, w, wi);
                FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                c00 = w0.fma(x, c00);
                c01 = w1.fma(x, c01);
                c02 = w2.fma(x, c02);
                c03 = w3.fma(x, c03);
                x = FloatVector.broadcast(S, a[a1 + p]);
                c10 = w0.fma(x, c10);
                c11 = w1.fma(x, c11);
                c12 = w2.fma(x, c12);
                c13 = w3.fma(x, c13);
                x = FloatVector.broadcast(S, a[a2 + p]);
                c20 = w0.fma(x, c20);
                c21 = w1.fma(x, c21);
                c22 = w2.fma(x, c22);
                c23 = w3.fma(x, c23);
                x = FloatVector.broadcast(S, a[a3 + p]);
                c30 = w0.fma(x, c30);
                c31 = w1.fma(x, c31);
                c32 = w2.fma(x, c32);
                c33 = w3.fma(x, c33);
                x = FloatVector.broadcast(S, a[a4 + p]);
                c40 = w0.fma(x, c40);
                c41 = w1.fma(x, c41);
                c42 = w2.fma(x, c42);
                c43 = w3.fma(x, c43);
                x = FloatVector.broadcast(S, a[a5 + p]);
                c50 = w0.fma(x, c50);
                c51 = w1.fma(x, c51);
                c52 = w2.fma(x, c52);
                c53 = w3.fma(x, c53);
            }
        }
        for (int p = whole; p < k; p++) {
            int wi = wOff + p * NR;
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            c02 = w2.fma(x, c02);
            c03 = w3.fma(x, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            c12 = w2.fma(x, c12);
            c13 = w3.fma(x, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            c22 = w2.fma(x, c22);
            c23 = w3.fma(x, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            c32 = w2.fma(x, c32);
            c33 = w3.fma(x, c33);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = w0.fma(x, c40);
            c41 = w1.fma(x, c41);
            c42 = w2.fma(x, c42);
            c43 = w3.fma(x, c43);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = w0.fma(x, c50);
            c51 = w1.fma(x, c51);
            c52 = w2.fma(x, c52);
            c53 = w3.fma(x, c53);
        }
        c00.intoArray(tile, tileOff);
        c01.intoArray(tile, tileOff + L);
        c02.intoArray(tile, tileOff + 2 * L);
        c03.intoArray(tile, tileOff + 3 * L);
        c10.intoArray(tile, tileOff + ldt);
        c11.intoArray(tile, tileOff + ldt + L);
        c12.intoArray(tile, tileOff + ldt + 2 * L);
        c13.intoArray(tile, tileOff + ldt + 3 * L);
        c20.intoArray(tile, tileOff + 2 * ldt);
        c21.intoArray(tile, tileOff + 2 * ldt + L);
        c22.intoArray(tile, tileOff + 2 * ldt + 2 * L);
        c23.intoArray(tile, tileOff + 2 * ldt + 3 * L);
        c30.intoArray(tile, tileOff + 3 * ldt);
        c31.intoArray(tile, tileOff + 3 * ldt + L);
        c32.intoArray(tile, tileOff + 3 * ldt + 2 * L);
        c33.intoArray(tile, tileOff + 3 * ldt + 3 * L);
        c40.intoArray(tile, tileOff + 4 * ldt);
        c41.intoArray(tile, tileOff + 4 * ldt + L);
        c42.intoArray(tile, tileOff + 4 * ldt + 2 * L);
        c43.intoArray(tile, tileOff + 4 * ldt + 3 * L);
        c50.intoArray(tile, tileOff + 5 * ldt);
        c51.intoArray(tile, tileOff + 5 * ldt + L);
        c52.intoArray(tile, tileOff + 5 * ldt + 2 * L);
        c53.intoArray(tile, tileOff + 5 * ldt + 3 * L);
    }

    /**
     * Epilogue: bias and activation on the tile, then its valid rows and the columns {@code out} asks for into c.
     * The activation runs once over the whole contiguous tile: per row (one call per 64 floats) its call and loop
     * set-up cost as much as GELU's arithmetic.
     */
    private static void store(float[] tile, int rows, Panels w, int p, Columns out, float[] bias, Activation act,
            float[] c, int r0) {
        int col0 = p * NR;
        int width = Math.min(NR, w.rows() - col0);
        int skip = Math.max(0, out.from() - col0);
        int end = Math.min(width, out.to() - col0);
        if (bias != null) {
            for (int i = 0; i < rows; i++) {
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(S, tile, i * NR + v)
                            .add(FloatVector.fromArray(S, bias, col0 + v, S.indexInRange(v, width)))
                            .intoArray(tile, i * NR + v);
                }
            }
        }
        VectorMath.activate(act, tile, 0, rows * NR);
        for (int i = 0; i < rows; i++) {
            int row = (r0 + i) * out.ldc() + col0;
            for (int v = skip / L * L; v < end; v += L) {
                VectorMask<Float> stored = S.indexInRange(v, end).andNot(S.indexInRange(v, skip));
                FloatVector.fromArray(S, tile, i * NR + v).intoArray(c, row + v, stored);
            }
        }
    }

    /**
     * Gated epilogue: {@code act(gate + bias) * (linear + bias)}, gate and linear halves from the same tile. The
     * gates of all rows are gathered contiguous after the tile (at {@code MR * NR}) and activated in one call.
     */
    private static void storeGated(float[] tile, int rows, Panels w, int p, float[] bias, Activation act,
            float[] c, int r0) {
        int n = w.outputs();
        int half = NR / 2;
        int col0 = p * half;
        int width = Math.min(half, n - col0);
        int gates = MR * NR;
        for (int i = 0; i < rows; i++) {
            for (int v = 0; v < half; v += L) {
                FloatVector gate = FloatVector.fromArray(S, tile, i * NR + v);
                if (bias != null) {
                    gate = gate.add(FloatVector.fromArray(S, bias, col0 + v, S.indexInRange(v, width)));
                }
                gate.intoArray(tile, gates + i * half + v);
            }
        }
        VectorMath.activate(act, tile, gates, rows * half);
        for (int i = 0; i < rows; i++) {
            int row = (r0 + i) * n + col0;
            for (int v = 0; v < width; v += L) {
                VectorMask<Float> valid = S.indexInRange(v, width);
                FloatVector lin = FloatVector.fromArray(S, tile, i * NR + half + v);
                if (bias != null) {
                    lin = lin.add(FloatVector.fromArray(S, bias, n + col0 + v, valid));
                }
                FloatVector.fromArray(S, tile, gates + i * half + v).mul(lin).intoArray(c, row + v, valid);
            }
        }
    }

    @Override
    public void addLayerNorm(float[] x, float[] residual, int m, int n, float[] gamma, float[] beta, float eps,
            ComputePool pool) {
        pool.forRange(m, 16, (start, end) -> {
            int bound = S.loopBound(n);
            float[] lanes = new float[L];
            for (int r = start; r < end; r++) {
                int off = r * n;
                FloatVector sumV = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, off + i);
                    if (residual != null) {
                        v = v.add(FloatVector.fromArray(S, residual, off + i));
                        v.intoArray(x, off + i);
                    }
                    sumV = sumV.add(v);
                }
                double sum = VectorMath.sumLanes(sumV, lanes);
                for (; i < n; i++) {
                    if (residual != null) {
                        x[off + i] += residual[off + i];
                    }
                    sum += x[off + i];
                }
                float mean = (float) (sum / n);
                FloatVector varV = FloatVector.zero(S);
                for (i = 0; i < bound; i += L) {
                    FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
                    varV = d.fma(d, varV);
                }
                double var = VectorMath.sumLanes(varV, lanes);
                for (; i < n; i++) {
                    double d = x[off + i] - mean;
                    var += d * d;
                }
                float inv = (float) (1 / Math.sqrt(var / n + eps));
                for (i = 0; i < bound; i += L) {
                    FloatVector g = FloatVector.fromArray(S, gamma, i).mul(inv);
                    FloatVector.fromArray(S, x, off + i).sub(mean).fma(g, FloatVector.fromArray(S, beta, i))
                            .intoArray(x, off + i);
                }
                for (; i < n; i++) {
                    x[off + i] = (x[off + i] - mean) * inv * gamma[i] + beta[i];
                }
            }
        });
    }

    /**
     * Blockwise ("flash") attention: for {@value #BQ} query rows at a time, keys are visited in blocks of up to
     * {@value #BK}; each block's scores get their ALiBi bias from the row and column indices, and the softmax is
     * kept online (running max and sum, earlier output rescaled when the max grows). Besides the output, memory
     * is the head's keys transposed (headDim x len, so scores are computed a vector of keys at a time) and a
     * few blocks.
     */
    @Override
    public void attention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim, int head,
            float slope) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = head * headDim;
        int dPad = Math.ceilDiv(headDim, L) * L;
        Scratch sc = scratch.get();
        float[] kt = transposedKeys(sc.keysT(headDim * Math.ceilDiv(len, NR) * NR), qkv, start, len, stride,
                hidden + qOff, headDim);
        float[] vs = paddedValues(sc.values(len * dPad), qkv, start, len, stride, 2 * hidden + qOff, headDim, dPad);
        float[] probs = sc.probs(BQ * BK); // rows BK apart whatever the length: constant offsets in the hot loops
        float[] acc = sc.acc(BQ * dPad + BQ + BQ * L);
        int maxAt = BQ * dPad;
        int sumAt = maxAt + BQ; // per row, L lanes of partial sums, reduced once at the end
        // Scores stay unscaled (queries are read straight from qkv); the scale joins the exponent instead, and
        // ALiBi's bias is divided by it to match.
        float scale = (float) (1 / Math.sqrt(headDim));
        float rawSlope = slope / scale;
        for (int i0 = 0; i0 < queries; i0 += BQ) {
            java.util.Arrays.fill(acc, 0, maxAt, 0f);
            java.util.Arrays.fill(acc, maxAt, sumAt, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(acc, sumAt, sumAt + BQ * L, 0f);
            int rows = Math.min(BQ, queries - i0);
            int q0 = (start + i0) * stride + qOff;
            for (int j0 = 0; j0 < len; j0 += BK) {
                int keys = Math.min(BK, len - j0);
                int width = Math.ceilDiv(keys, NR) * NR;
                for (int c = 0; c < width; c += NR) {
                    int panel = (j0 + c) * headDim;
                    microKernel(qkv, q0, stride, rows, headDim, kt, panel, probs, c, BK);
                    if (rows > MR) {
                        microKernel(qkv, q0 + MR * stride, stride, rows - MR, headDim, kt, panel, probs, MR * BK + c,
                                BK);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    float corr = softmaxBlock(probs, r * BK, width, i0 + r, j0, len, rawSlope, scale, acc,
                            maxAt + r, sumAt + r * L);
                    if (corr != 1f) {
                        scaleRow(acc, r * dPad, dPad, corr);
                    }
                }
                accumulateValues(vs, j0, keys, dPad, probs, acc, rows);
            }
            normalise(acc, rows, dPad, sumAt, out, (start + i0) * hidden + qOff, hidden, headDim);
        }
    }

    /**
     * Writes each of the block's rows, divided by its softmax sum, to its headDim floats from {@code out[o]}, rows
     * {@code hidden} apart. Whole vectors are stored unmasked: the masked store, per vector, had taken a tenth of
     * the attention's time.
     */
    private static void normalise(float[] acc, int rows, int dPad, int sumAt, float[] out, int o, int hidden,
            int headDim) {
        int whole = headDim / L * L;
        for (int r = 0; r < rows; r++) {
            float inv = 1 / VectorMath.sum(acc, sumAt + r * L, L);
            int row = o + r * hidden;
            for (int d = 0; d < whole; d += L) {
                FloatVector.fromArray(S, acc, r * dPad + d).mul(inv).intoArray(out, row + d);
            }
            for (int d = whole; d < headDim; d++) {
                out[row + d] = acc[r * dPad + d] * inv;
            }
        }
    }

    private static final FloatVector IOTA = FloatVector.fromArray(S, iota(), 0);

    private static float[] iota() {
        float[] f = new float[L];
        for (int i = 0; i < L; i++) {
            f[i] = i;
        }
        return f;
    }

    /**
     * Turns one row's raw scores (q·k, unscaled) for keys [j0, j0 + width) into unnormalised softmax weights
     * {@code exp(scale · (s - slope·|i - j| - m))} against the row's running max m, updating the max and the
     * row's lane-wise sums; returns the factor the row's earlier output must be scaled by (1 when the max did
     * not move or nothing was accumulated yet). Rows in {@link #BQ}-row blocks past the sequence's end are never
     * passed here: their (stale) scores only feed outputs that are not stored.
     */
    private static float softmaxBlock(float[] p, int off, int width, int i, int j0, int len, float slope, float scale,
            float[] acc, int maxAt, int sumAt) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector negSlope = FloatVector.broadcast(S, -slope);
        for (int v = 0; v < width; v += L) {
            FloatVector s = FloatVector.fromArray(S, p, off + v);
            if (slope != 0f) {
                s = IOTA.add(j0 + v - i).abs().fma(negSlope, s);
            }
            if (j0 + v + L > len) {
                s = s.blend(Float.NEGATIVE_INFINITY, IOTA.compare(VectorOperators.GE, len - j0 - v));
            }
            s.intoArray(p, off + v);
            max = max.max(s);
        }
        // Lazy rescaling: weights are taken against the running max m as long as no score exceeds it by more
        // than RESCALE_MARGIN (then e^(s - m) <= e^16, far from overflow); only a larger jump pays for a new max
        // and for rescaling the row's sums and output. Exact either way: m cancels in the normalisation.
        float old = acc[maxAt];
        float corr = 1f;
        if (max.compare(VectorOperators.GT, old + RESCALE_MARGIN / scale).anyTrue()) {
            float m = Math.max(old, max.reduceLanes(VectorOperators.MAX));
            if (old != Float.NEGATIVE_INFINITY) { // before the first block, sums and output are still zero
                corr = (float) StrictMath.exp((old - m) * scale);
                FloatVector.fromArray(S, acc, sumAt).mul(corr).intoArray(acc, sumAt);
            }
            acc[maxAt] = m;
        }
        VectorMath.expShifted(p, off, width, acc[maxAt], scale, acc, sumAt);
        return corr;
    }

    private static void scaleRow(float[] acc, int off, int n, float f) {
        for (int d = 0; d < n; d += L) {
            FloatVector.fromArray(S, acc, off + d).mul(f).intoArray(acc, off + d);
        }
    }

    /**
     * {@code acc[r] += Σ_j probs[r, j] · v_j} for keys [j0, j0 + keys) and the block's rows, each output summed over
     * j in order whatever the tiling: two vectors of the (padded) head dimension at a time, so one broadcast weight
     * feeds two multiply-adds, then a last one. With 32 vector registers all {@value #BQ} rows are one tile (24
     * accumulators); with 16, the matrix multiply's {@value #MR}-row tile (12 accumulators) takes the rows six at a
     * time: the 24 had spilled to the stack on every multiply-add.
     */
    private static void accumulateValues(float[] vs, int j0, int keys, int dPad, float[] probs, float[] acc,
            int rows) {
        int d = 0;
        for (; d + 2 * L <= dPad; d += 2 * L) {
            if (NV == 4) {
                accumulateTwo(vs, j0, keys, dPad, probs, acc, d);
            } else {
                for (int r0 = 0; r0 < rows; r0 += MR) {
                    stridedKernel2(probs, r0 * BK, BK, MR, keys, vs, j0 * dPad + d, dPad, acc, r0 * dPad + d, dPad,
                            true);
                }
            }
        }
        if (d < dPad) {
            accumulateOne(vs, j0, keys, dPad, probs, acc, d);
        }
    }

    private static void accumulateTwo(float[] vs, int j0, int keys, int dPad, float[] probs, float[] acc, int d) {
        FloatVector o0 = FloatVector.fromArray(S, acc, d);
        FloatVector p0 = FloatVector.fromArray(S, acc, d + L);
        FloatVector o1 = FloatVector.fromArray(S, acc, dPad + d);
        FloatVector p1 = FloatVector.fromArray(S, acc, dPad + d + L);
        FloatVector o2 = FloatVector.fromArray(S, acc, 2 * dPad + d);
        FloatVector p2 = FloatVector.fromArray(S, acc, 2 * dPad + d + L);
        FloatVector o3 = FloatVector.fromArray(S, acc, 3 * dPad + d);
        FloatVector p3 = FloatVector.fromArray(S, acc, 3 * dPad + d + L);
        FloatVector o4 = FloatVector.fromArray(S, acc, 4 * dPad + d);
        FloatVector p4 = FloatVector.fromArray(S, acc, 4 * dPad + d + L);
        FloatVector o5 = FloatVector.fromArray(S, acc, 5 * dPad + d);
        FloatVector p5 = FloatVector.fromArray(S, acc, 5 * dPad + d + L);
        FloatVector o6 = FloatVector.fromArray(S, acc, 6 * dPad + d);
        FloatVector p6 = FloatVector.fromArray(S, acc, 6 * dPad + d + L);
        FloatVector o7 = FloatVector.fromArray(S, acc, 7 * dPad + d);
        FloatVector p7 = FloatVector.fromArray(S, acc, 7 * dPad + d + L);
        FloatVector o8 = FloatVector.fromArray(S, acc, 8 * dPad + d);
        FloatVector p8 = FloatVector.fromArray(S, acc, 8 * dPad + d + L);
        FloatVector o9 = FloatVector.fromArray(S, acc, 9 * dPad + d);
        FloatVector p9 = FloatVector.fromArray(S, acc, 9 * dPad + d + L);
        FloatVector o10 = FloatVector.fromArray(S, acc, 10 * dPad + d);
        FloatVector p10 = FloatVector.fromArray(S, acc, 10 * dPad + d + L);
        FloatVector o11 = FloatVector.fromArray(S, acc, 11 * dPad + d);
        FloatVector p11 = FloatVector.fromArray(S, acc, 11 * dPad + d + L);
        for (int j = 0; j < keys; j++) {
            int at = (j0 + j) * dPad + d;
            FloatVector v = FloatVector.fromArray(S, vs, at);
            FloatVector w = FloatVector.fromArray(S, vs, at + L);
            FloatVector x = FloatVector.broadcast(S, probs[j]);
            o0 = v.fma(x, o0);
            p0 = w.fma(x, p0);
            x = FloatVector.broadcast(S, probs[BK + j]);
            o1 = v.fma(x, o1);
            p1 = w.fma(x, p1);
            x = FloatVector.broadcast(S, probs[2 * BK + j]);
            o2 = v.fma(x, o2);
            p2 = w.fma(x, p2);
            x = FloatVector.broadcast(S, probs[3 * BK + j]);
            o3 = v.fma(x, o3);
            p3 = w.fma(x, p3);
            x = FloatVector.broadcast(S, probs[4 * BK + j]);
            o4 = v.fma(x, o4);
            p4 = w.fma(x, p4);
            x = FloatVector.broadcast(S, probs[5 * BK + j]);
            o5 = v.fma(x, o5);
            p5 = w.fma(x, p5);
            x = FloatVector.broadcast(S, probs[6 * BK + j]);
            o6 = v.fma(x, o6);
            p6 = w.fma(x, p6);
            x = FloatVector.broadcast(S, probs[7 * BK + j]);
            o7 = v.fma(x, o7);
            p7 = w.fma(x, p7);
            x = FloatVector.broadcast(S, probs[8 * BK + j]);
            o8 = v.fma(x, o8);
            p8 = w.fma(x, p8);
            x = FloatVector.broadcast(S, probs[9 * BK + j]);
            o9 = v.fma(x, o9);
            p9 = w.fma(x, p9);
            x = FloatVector.broadcast(S, probs[10 * BK + j]);
            o10 = v.fma(x, o10);
            p10 = w.fma(x, p10);
            x = FloatVector.broadcast(S, probs[11 * BK + j]);
            o11 = v.fma(x, o11);
            p11 = w.fma(x, p11);
        }
        o0.intoArray(acc, d);
        p0.intoArray(acc, d + L);
        o1.intoArray(acc, dPad + d);
        p1.intoArray(acc, dPad + d + L);
        o2.intoArray(acc, 2 * dPad + d);
        p2.intoArray(acc, 2 * dPad + d + L);
        o3.intoArray(acc, 3 * dPad + d);
        p3.intoArray(acc, 3 * dPad + d + L);
        o4.intoArray(acc, 4 * dPad + d);
        p4.intoArray(acc, 4 * dPad + d + L);
        o5.intoArray(acc, 5 * dPad + d);
        p5.intoArray(acc, 5 * dPad + d + L);
        o6.intoArray(acc, 6 * dPad + d);
        p6.intoArray(acc, 6 * dPad + d + L);
        o7.intoArray(acc, 7 * dPad + d);
        p7.intoArray(acc, 7 * dPad + d + L);
        o8.intoArray(acc, 8 * dPad + d);
        p8.intoArray(acc, 8 * dPad + d + L);
        o9.intoArray(acc, 9 * dPad + d);
        p9.intoArray(acc, 9 * dPad + d + L);
        o10.intoArray(acc, 10 * dPad + d);
        p10.intoArray(acc, 10 * dPad + d + L);
        o11.intoArray(acc, 11 * dPad + d);
        p11.intoArray(acc, 11 * dPad + d + L);
    }

    /** One vector of the padded head dimension for all rows. */
    private static void accumulateOne(float[] vs, int j0, int keys, int dPad, float[] probs, float[] acc, int d) {
        FloatVector o0 = FloatVector.fromArray(S, acc, d);
        FloatVector o1 = FloatVector.fromArray(S, acc, dPad + d);
        FloatVector o2 = FloatVector.fromArray(S, acc, 2 * dPad + d);
        FloatVector o3 = FloatVector.fromArray(S, acc, 3 * dPad + d);
        FloatVector o4 = FloatVector.fromArray(S, acc, 4 * dPad + d);
        FloatVector o5 = FloatVector.fromArray(S, acc, 5 * dPad + d);
        FloatVector o6 = FloatVector.fromArray(S, acc, 6 * dPad + d);
        FloatVector o7 = FloatVector.fromArray(S, acc, 7 * dPad + d);
        FloatVector o8 = FloatVector.fromArray(S, acc, 8 * dPad + d);
        FloatVector o9 = FloatVector.fromArray(S, acc, 9 * dPad + d);
        FloatVector o10 = FloatVector.fromArray(S, acc, 10 * dPad + d);
        FloatVector o11 = FloatVector.fromArray(S, acc, 11 * dPad + d);
        for (int j = 0; j < keys; j++) {
            FloatVector v = FloatVector.fromArray(S, vs, (j0 + j) * dPad + d);
            o0 = v.fma(FloatVector.broadcast(S, probs[j]), o0);
            o1 = v.fma(FloatVector.broadcast(S, probs[BK + j]), o1);
            o2 = v.fma(FloatVector.broadcast(S, probs[2 * BK + j]), o2);
            o3 = v.fma(FloatVector.broadcast(S, probs[3 * BK + j]), o3);
            o4 = v.fma(FloatVector.broadcast(S, probs[4 * BK + j]), o4);
            o5 = v.fma(FloatVector.broadcast(S, probs[5 * BK + j]), o5);
            o6 = v.fma(FloatVector.broadcast(S, probs[6 * BK + j]), o6);
            o7 = v.fma(FloatVector.broadcast(S, probs[7 * BK + j]), o7);
            o8 = v.fma(FloatVector.broadcast(S, probs[8 * BK + j]), o8);
            o9 = v.fma(FloatVector.broadcast(S, probs[9 * BK + j]), o9);
            o10 = v.fma(FloatVector.broadcast(S, probs[10 * BK + j]), o10);
            o11 = v.fma(FloatVector.broadcast(S, probs[11 * BK + j]), o11);
        }
        o0.intoArray(acc, d);
        o1.intoArray(acc, dPad + d);
        o2.intoArray(acc, 2 * dPad + d);
        o3.intoArray(acc, 3 * dPad + d);
        o4.intoArray(acc, 4 * dPad + d);
        o5.intoArray(acc, 5 * dPad + d);
        o6.intoArray(acc, 6 * dPad + d);
        o7.intoArray(acc, 7 * dPad + d);
        o8.intoArray(acc, 8 * dPad + d);
        o9.intoArray(acc, 9 * dPad + d);
        o10.intoArray(acc, 10 * dPad + d);
        o11.intoArray(acc, 11 * dPad + d);
    }

    /**
     * Sliding-window attention, blockwise as {@link #attention}: for {@value #BQ} query rows at a time only the key
     * panels that meet one of the rows' windows are visited (at most {@code BQ + 2·radius} keys plus the rounding
     * to whole panels), so cost and memory are linear in len. Keys of a visited panel outside a row's window get
     * score -inf, hence weight e^-87 ~ 1e-38 (see {@link VectorMath#expShifted}), which no normalised sum can tell
     * from zero. A row's keys are visited in an order fixed by its position in its sequence alone.
     */
    @Override
    public void attentionWindow(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, int radius) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = head * headDim;
        int dPad = Math.ceilDiv(headDim, L) * L;
        Scratch sc = scratch.get();
        float[] kt = transposedKeys(sc.keysT(headDim * Math.ceilDiv(len, NR) * NR), qkv, start, len, stride,
                hidden + qOff, headDim);
        float[] vs = paddedValues(sc.values(len * dPad), qkv, start, len, stride, 2 * hidden + qOff, headDim, dPad);
        float[] probs = sc.probs(BQ * BK);
        float[] acc = sc.acc(BQ * dPad + BQ + BQ * L);
        int maxAt = BQ * dPad;
        int sumAt = maxAt + BQ;
        float scale = (float) (1 / StrictMath.sqrt(headDim));
        for (int i0 = 0; i0 < queries; i0 += BQ) {
            java.util.Arrays.fill(acc, 0, maxAt, 0f);
            java.util.Arrays.fill(acc, maxAt, sumAt, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(acc, sumAt, sumAt + BQ * L, 0f);
            int rows = Math.min(BQ, queries - i0);
            int q0 = (start + i0) * stride + qOff;
            int hi = Math.min(len, i0 + rows + radius);
            for (int j0 = Math.max(0, i0 - radius) / NR * NR; j0 < hi; j0 += BK) {
                int keys = Math.min(BK, hi - j0);
                int width = Math.ceilDiv(keys, NR) * NR;
                for (int c = 0; c < width; c += NR) {
                    int panel = (j0 + c) * headDim;
                    microKernel(qkv, q0, stride, rows, headDim, kt, panel, probs, c, BK);
                    if (rows > MR) {
                        microKernel(qkv, q0 + MR * stride, stride, rows - MR, headDim, kt, panel, probs, MR * BK + c,
                                BK);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    float corr = windowSoftmaxBlock(probs, r * BK, width, i0 + r, j0, len, radius, scale, acc,
                            maxAt + r, sumAt + r * L);
                    if (corr != 1f) {
                        scaleRow(acc, r * dPad, dPad, corr);
                    }
                }
                accumulateValues(vs, j0, keys, dPad, probs, acc, rows);
            }
            normalise(acc, rows, dPad, sumAt, out, (start + i0) * hidden + qOff, hidden, headDim);
        }
    }

    /**
     * One head's keys (at {@code kOff} in rows {@code stride} apart) transposed into micro-kernel panels of
     * {@link #NR} keys, each {@code [headDim][NR]}, zero past the last key, so that scores are computed a vector
     * of keys at a time and a panel is read as one contiguous run (8 KB for 32-wide heads), not headDim rows a power
     * of two apart that thrash L1 sets. Written in order, a panel row at a time: writing each key's headDim floats
     * NR apart instead ran at ~10 cycles per float (stores to 32 lines at once, loads 4K-aliasing with them).
     */
    private static float[] transposedKeys(float[] kt, float[] qkv, int start, int len, int stride, int kOff,
            int headDim) {
        int from0 = start * stride + kOff;
        for (int j0 = 0; j0 < len; j0 += NR) {
            int keys = Math.min(NR, len - j0);
            for (int d = 0; d < headDim; d++) {
                int to = j0 * headDim + d * NR;
                int from = from0 + j0 * stride + d;
                for (int j = 0; j < keys; j++) {
                    kt[to + j] = qkv[from + j * stride];
                }
                java.util.Arrays.fill(kt, to + keys, to + NR, 0f);
            }
        }
        return kt;
    }

    /**
     * One head's values (at {@code vOff}) contiguous, each zero-padded to {@code dPad} floats:
     * the accumulation then streams them from L1/L2 with the prefetcher's help, instead of one 128-byte
     * slice per 4.6 KB row of qkv, and needs no masks.
     */
    private static float[] paddedValues(float[] vs, float[] qkv, int start, int len, int stride, int vOff,
            int headDim, int dPad) {
        int whole = headDim / L * L;
        for (int j = 0; j < len; j++) {
            int row = (start + j) * stride + vOff;
            int to = j * dPad;
            for (int d = 0; d < whole; d += L) {
                FloatVector.fromArray(S, qkv, row + d).intoArray(vs, to + d);
            }
            for (int d = whole; d < dPad; d++) {
                vs[to + d] = d < headDim ? qkv[row + d] : 0f;
            }
        }
        return vs;
    }

    /**
     * As {@link #softmaxBlock} without a bias, for query i's window {@code [i - radius, i + radius]}: scores of
     * keys outside it (or past len) become -inf. A block holding none of the row's keys contributes nothing.
     */
    private static float windowSoftmaxBlock(float[] p, int off, int width, int i, int j0, int len, int radius,
            float scale, float[] acc, int maxAt, int sumAt) {
        float from = Math.max(0, i - radius) - j0;
        float to = Math.min(len, i + radius + 1) - j0;
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int v = 0; v < width; v += L) {
            FloatVector col = IOTA.add(v);
            VectorMask<Float> outside = col.compare(VectorOperators.LT, from).or(col.compare(VectorOperators.GE, to));
            FloatVector s = FloatVector.fromArray(S, p, off + v).blend(Float.NEGATIVE_INFINITY, outside);
            s.intoArray(p, off + v);
            max = max.max(s);
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        if (m == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, off, off + width, 0f);
            return 1f;
        }
        float old = acc[maxAt];
        float corr = 1f;
        if (m > old + RESCALE_MARGIN / scale) {
            if (old != Float.NEGATIVE_INFINITY) {
                corr = (float) StrictMath.exp((old - m) * scale);
                FloatVector.fromArray(S, acc, sumAt).mul(corr).intoArray(acc, sumAt);
            }
            acc[maxAt] = m;
        }
        VectorMath.expShifted(p, off, width, acc[maxAt], scale, acc, sumAt);
        return corr;
    }

    private final ThreadLocal<RelativeScratch> relativeScratch = ThreadLocal.withInitial(RelativeScratch::new);

    /**
     * Each relative term is computed once per (token, relative position) rather than per pair: first every key
     * against the band of relative queries it meets ({@code keyTerms[j, r] = k_j·posQueries[r]}), then each block of
     * {@link #BQ} queries against its band of relative keys ({@code queryTerms[i, r] = q_i·posKeys[r]}), both with the
     * matrix multiply's micro-kernel; each block of scores then gathers its two terms by relIndex. A band is as wide
     * as the distinct positions its rows meet (at most the length), so the terms cost about twice the content
     * scores, where the products with the whole table would cost 2 · positions / len times.
     */
    @Override
    public void relativeAttention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, PackedMatrix posKeys, PackedMatrix posQueries, int[] relIndex, int center, float scale) {
        relativeAttention(qkv, out, start, len, queries, heads, headDim, head, posKeys, posQueries, relIndex, center,
                scale, linearDistances(relIndex, center, len));
    }

    /**
     * The largest m below len such that every distance up to m (either sign) has the relative row
     * {@code relIndex[center] + distance}: DeBERTa's linear buckets, half the buckets wide.
     */
    static int linearDistances(int[] relIndex, int center, int len) {
        int row = relIndex[center];
        int m = 0;
        while (m + 1 < len && relIndex[center + m + 1] == row + m + 1 && relIndex[center - m - 1] == row - m - 1) {
            m++;
        }
        return m;
    }

    /**
     * {@link #relativeAttention} with the query terms of keys within {@code linear} distances of their query read
     * as contiguous runs (any {@code linear} up to {@link #linearDistances} gives the same bits; 0 gathers all).
     */
    void relativeAttention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, PackedMatrix posKeys, PackedMatrix posQueries, int[] relIndex, int center, float scale,
            int linear) {
        Panels pk = panels(posKeys, false);
        Panels pq = panels(posQueries, false);
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = head * headDim;
        int kOff = hidden + qOff;
        int dPad = Math.ceilDiv(headDim, L) * L;
        int wPad = pk.panels() * NR;
        int panelSize = headDim * NR;
        Scratch sc = scratch.get();
        RelativeScratch rs = relativeScratch.get();
        float[] kt = transposedKeys(sc.keysT(headDim * Math.ceilDiv(len, NR) * NR), qkv, start, len, stride, kOff, headDim);
        float[] vs = paddedValues(sc.values(len * dPad), qkv, start, len, stride, 2 * hidden + qOff, headDim, dPad);

        // Rows a line longer than the band: at a power of two apart, a vector's key terms (one per row, see below)
        // all fell into two of the L1 cache's 64 sets and missed it.
        int ktLd = wPad + NR;
        float[] keyTerms = rs.keyTerms(Math.multiplyExact(Math.ceilDiv(len, MR) * MR, ktLd));
        for (int j0 = 0; j0 < len; j0 += MR) {
            int rows = Math.min(MR, len - j0);
            int p1 = relIndex[center + queries - 1 - j0] / NR;
            for (int p = relIndex[center - (j0 + rows - 1)] / NR; p <= p1; p++) {
                microKernel(qkv, (start + j0) * stride + kOff, stride, rows, headDim, pq.data(), p * panelSize,
                        keyTerms, j0 * ktLd + p * NR, ktLd);
            }
        }
        // By key offset t = j - i + len - 1: the relative row, and where k_j's term for that row is, counted from
        // row i of keyTerms; contiguous in j, so a vector of keys gathers its terms with one index load each.
        int offsets = 2 * len - 1;
        int[] rowOf = rs.rowOf(offsets);
        int[] keyTermAt = rs.keyTermAt(offsets);
        for (int t = 0; t < offsets; t++) {
            int jMinusI = t - (len - 1);
            rowOf[t] = relIndex[center - jMinusI];
            keyTermAt[t] = jMinusI * ktLd + rowOf[t];
        }
        int rowAt0 = relIndex[center];
        float[] queryTerms = rs.queryTerms(BQ * wPad);
        float[] probs = sc.probs(BQ * BK);
        float[] acc = sc.acc(BQ * dPad + BQ + BQ * L);
        int maxAt = BQ * dPad;
        int sumAt = maxAt + BQ;
        for (int i0 = 0; i0 < queries; i0 += BQ) {
            java.util.Arrays.fill(acc, 0, maxAt, 0f);
            java.util.Arrays.fill(acc, maxAt, sumAt, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(acc, sumAt, sumAt + BQ * L, 0f);
            int rows = Math.min(BQ, queries - i0);
            int q0 = (start + i0) * stride + qOff;
            int p1 = relIndex[center + i0 + rows - 1] / NR;
            for (int p = relIndex[center + i0 - (len - 1)] / NR; p <= p1; p++) {
                microKernel(qkv, q0, stride, Math.min(MR, rows), headDim, pk.data(), p * panelSize, queryTerms, p * NR,
                        wPad);
                if (rows > MR) {
                    microKernel(qkv, q0 + MR * stride, stride, rows - MR, headDim, pk.data(), p * panelSize,
                            queryTerms, MR * wPad + p * NR, wPad);
                }
            }
            for (int j0 = 0; j0 < len; j0 += BK) {
                int keys = Math.min(BK, len - j0);
                int width = Math.ceilDiv(keys, NR) * NR;
                for (int c = 0; c < width; c += NR) {
                    int panel = (j0 + c) * headDim;
                    microKernel(qkv, q0, stride, rows, headDim, kt, panel, probs, c, BK);
                    if (rows > MR) {
                        microKernel(qkv, q0 + MR * stride, stride, rows - MR, headDim, kt, panel, probs, MR * BK + c,
                                BK);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    addRelativeTerms(probs, r * BK, keys, queryTerms, r * wPad, keyTerms, i * ktLd, rowOf, keyTermAt,
                            j0 - i + len - 1, i - linear - j0, i + linear + 1 - j0, rowAt0 + i - j0);
                    float corr = softmaxBlock(probs, r * BK, width, i, j0, len, 0f, scale, acc, maxAt + r,
                            sumAt + r * L);
                    if (corr != 1f) {
                        scaleRow(acc, r * dPad, dPad, corr);
                    }
                }
                accumulateValues(vs, j0, keys, dPad, probs, acc, rows);
            }
            normalise(acc, rows, dPad, sumAt, out, (start + i0) * hidden + qOff, hidden, headDim);
        }
    }

    /**
     * {@code probs[off + c] += queryTerms[qtOff + rowOf[t0 + c]] + keyTerms[ktOff + keyTermAt[t0 + c]]} for the
     * valid keys c, added in the same order in the vector body and the tail. Keys c in [linFrom, linTo) are within
     * the linear buckets, where rowOf[t0 + c] is {@code rowAtC0 - c}: a vector wholly among them loads its query
     * terms as a reversed run instead of gathering them (a gather cost as much as the rest of the vector's work).
     */
    private static void addRelativeTerms(float[] probs, int off, int keys, float[] queryTerms, int qtOff,
            float[] keyTerms, int ktOff, int[] rowOf, int[] keyTermAt, int t0, int linFrom, int linTo, int rowAtC0) {
        int c = 0;
        for (; c + L <= keys; c += L) {
            FloatVector s = FloatVector.fromArray(S, probs, off + c);
            FloatVector a;
            if (c >= linFrom && c + L <= linTo) {
                a = FloatVector.fromArray(S, queryTerms, qtOff + rowAtC0 - c - (L - 1)).rearrange(REVERSE);
            } else {
                a = FloatVector.fromArray(S, queryTerms, qtOff, rowOf, t0 + c);
            }
            FloatVector b = FloatVector.fromArray(S, keyTerms, ktOff, keyTermAt, t0 + c);
            s.add(a).add(b).intoArray(probs, off + c);
        }
        for (; c < keys; c++) {
            probs[off + c] = probs[off + c] + queryTerms[qtOff + rowOf[t0 + c]] + keyTerms[ktOff + keyTermAt[t0 + c]];
        }
    }

    private static final VectorShuffle<Float> REVERSE = VectorShuffle.fromOp(S, i -> L - 1 - i);
}

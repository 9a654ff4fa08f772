package dev.rerank4j.kernels;

import static dev.rerank4j.kernels.VectorMath.S;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Decoder kernels on the Vector API. BF16 weights stay 16-bit: panels of {@link #NR} outputs, k-major like the
 * float panels of {@link VectorKernels}, two BF16 values per int so that one int vector widens to two float
 * vectors with a shift and a mask (a BF16 value is the top half of its float). The micro-kernel accumulates each
 * output over k in order with fused multiply-adds, exactly as the float kernel does: on weights that are BF16
 * values the two give identical bits.
 */
final class VectorDecoderKernels implements DecoderKernels {
    private static final int L = S.length();
    private static final VectorSpecies<Integer> I = S.vectorShape().withLanes(int.class);
    private static final int MR = VectorKernels.MR;
    /** Outputs per BF16 panel: the float kernels' tile width, {@link VectorKernels#NV} vectors, for their reason. */
    private static final int NR = VectorKernels.NR;
    /** Ints (4 bytes, two weights) of packed weights a thread keeps hot while rows stream past: half a 1 MB L2. */
    private static final int L2_INTS = 128 * 1024;
    /** Below this, silu(x) = x / (1 + e^-x) is under 1e-33 and e^-x would overflow the exponential's range. */
    private static final float SILU_FLOOR = -80f;
    private static final int HIGH_HALF = 0xFFFF0000;
    /** Steps of the micro-kernels' inner k loop (see {@link #microKernel2}). */
    private static final int KB = 16;
    /**
     * Columns of the attention's tiles ({@link VectorKernels#stridedKernel2}): 2 vectors, which with 6 rows fill 16
     * registers at any width.
     */
    private static final int TW = 2 * L;
    /** Keys per attention block: a whole number of score tiles. */
    private static final int BK = 128;
    /** How far (in units of the scaled score) a row's scores may pass its running max before it is moved. */
    private static final float RESCALE_MARGIN = 16f;
    private static final FloatVector IOTA = FloatVector.fromArray(S, iota(), 0);

    /**
     * BF16 weights of logical shape [rows, cols] in panels of NR outputs: for panel p and input k, the NR / 2 ints at
     * {@code data[(p * cols + k) * NR / 2]} hold outputs {@code c} (low half) and {@code c + L} (high half) for
     * c in [0, L), then (4-vector panels) outputs {@code 2L + c} and {@code 3L + c}. Zero past the last output.
     */
    record Bf16Panels(int rows, int cols, int[] data) implements PackedMatrix {
        int panels() {
            return Math.ceilDiv(rows, NR);
        }
    }

    private final Kernels base;
    private final ThreadLocal<float[]> tiles = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private final ThreadLocal<float[]> rowScratch = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> lanes = ThreadLocal.withInitial(() -> new float[L]);
    private final ThreadLocal<float[]> probsScratch = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> accScratch = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> statsScratch = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> valueScratch = ThreadLocal.withInitial(() -> new float[0]);

    VectorDecoderKernels(Kernels base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit, BF16 weights widened in the multiply)";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        for (Tensor t : rowBlocks) {
            if (t.dtype() != DType.BF16) {
                return base.pack(rowBlocks);
            }
        }
        int rows = ScalarKernels.stackedRows(rowBlocks);
        int cols = rowBlocks[0].shape()[1];
        int[] data = new int[Math.multiplyExact(Math.ceilDiv(rows, NR) * NR / 2, cols)];
        int r = 0;
        for (Tensor t : rowBlocks) {
            for (int tr = 0; tr < t.shape()[0]; tr++, r++) {
                int lane = r % NR;
                int pair = lane / (2 * L) * L + lane % L; // which int of the 2L
                int shift = lane % (2 * L) < L ? 0 : 16;
                int at = r / NR * cols * (NR / 2) + pair;
                for (int k = 0; k < cols; k++) {
                    int bits = Float.floatToRawIntBits(t.get(tr, k)) >>> 16; // exact: the value is a BF16
                    data[at + k * (NR / 2)] |= bits << shift;
                }
            }
        }
        return new Bf16Panels(rows, cols, data);
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, float[] c, ComputePool pool) {
        if (!(w instanceof Bf16Panels p)) {
            base.matmul(a, m, w, null, Activation.IDENTITY, c, pool);
            return;
        }
        int rowBlocks = Math.ceilDiv(m, MR);
        int panels = p.panels();
        if (rowBlocks >= 4 * pool.threads()) {
            pool.forRange(rowBlocks, 2, (b0, b1) -> band(a, m, p, c, b0, b1, 0, panels));
        } else {
            pool.forRange(panels, 1, (p0, p1) -> band(a, m, p, c, 0, rowBlocks, p0, p1));
        }
    }

    private void band(float[] a, int m, Bf16Panels w, float[] c, int b0, int b1, int p0, int p1) {
        int k = w.cols();
        float[] tile = tiles.get();
        int group = Math.max(1, L2_INTS / (k * NR / 2));
        for (int g0 = p0; g0 < p1; g0 += group) {
            int g1 = Math.min(p1, g0 + group);
            for (int b = b0; b < b1; b++) {
                int r0 = b * MR;
                int rows = Math.min(MR, m - r0);
                for (int p = g0; p < g1; p++) {
                    microKernel(a, r0 * k, k, rows, w.data(), p * k * (NR / 2), tile);
                    store(tile, rows, w.rows(), p, c, r0);
                }
            }
        }
    }

    /**
     * {@code tile[MR, NR] = A · panel}; rows past the valid ones repeat the last one and are never stored. The loop
     * is {@link VectorKernels}' with widening loads; one method for both (a branch on the panel type per step)
     * measured 26% slower for float panels under C2 on AVX2 (36 against 48 GFLOP per CPU-second, one thread):
     * the method is too large to inline into per-type callers, so the branch is not folded away.
     */
    private static void microKernel(float[] a, int aOff, int k, int rows, int[] w, int wOff, float[] tile) {
        if (NR == 4 * L) {
            microKernel4(a, aOff, k, rows, w, wOff, tile);
        } else {
            microKernel2(a, aOff, k, rows, w, wOff, tile);
        }
    }

    /**
     * {@link #microKernel} for 16 vector registers: one int vector of weights widens to the 6 x 2L tile's two. The
     * k loop runs in blocks of {@link #KB} steps with a constant trip count, then the remainder: written as one
     * plain loop, C2 kept the range checks inside it when counted loops have no safepoint polls (the serial and
     * parallel collectors' default, -XX:-UseCountedLoopSafepoints), and the kernel ran 2.4 times slower there
     * (34 against 81 GFLOP/s on one thread) than under G1. The order over k is the same, hence the same bits.
     */
    private static void microKernel2(float[] a, int aOff, int k, int rows, int[] w, int wOff, float[] tile) {
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * k;
        int a2 = aOff + Math.min(2, rows - 1) * k;
        int a3 = aOff + Math.min(3, rows - 1) * k;
        int a4 = aOff + Math.min(4, rows - 1) * k;
        int a5 = aOff + Math.min(5, rows - 1) * k;
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
                IntVector lo = IntVector.fromArray(I, w, wOff + p * L);
                FloatVector w0 = lo.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector w1 = lo.and(HIGH_HALF).reinterpretAsFloats();
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
            IntVector lo = IntVector.fromArray(I, w, wOff + p * L);
            FloatVector w0 = lo.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = lo.and(HIGH_HALF).reinterpretAsFloats();
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    /** {@link #microKernel} for 32 vector registers: two int vectors of weights widen to the 6 x 4L tile's four. */
    private static void microKernel4(float[] a, int aOff, int k, int rows, int[] w, int wOff, float[] tile) {
        int a0 = aOff;
        int a1 = aOff + Math.min(1, rows - 1) * k;
        int a2 = aOff + Math.min(2, rows - 1) * k;
        int a3 = aOff + Math.min(3, rows - 1) * k;
        int a4 = aOff + Math.min(4, rows - 1) * k;
        int a5 = aOff + Math.min(5, rows - 1) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < k; p++) {
            int wi = wOff + p * (NR / 2);
            IntVector lo = IntVector.fromArray(I, w, wi);
            IntVector hi = IntVector.fromArray(I, w, wi + L);
            FloatVector w0 = lo.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = lo.and(HIGH_HALF).reinterpretAsFloats();
            FloatVector w2 = hi.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w3 = hi.and(HIGH_HALF).reinterpretAsFloats();
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
    }

    private static void store(float[] tile, int rows, int n, int p, float[] c, int r0) {
        int col0 = p * NR;
        int width = Math.min(NR, n - col0);
        for (int i = 0; i < rows; i++) {
            int row = (r0 + i) * n + col0;
            for (int v = 0; v < width; v += L) {
                FloatVector.fromArray(S, tile, i * NR + v).intoArray(c, row + v, S.indexInRange(v, width));
            }
        }
    }

    @Override
    public void siluMul(float[] gateUp, int m, int n, float[] out, ComputePool pool) {
        int width = Math.ceilDiv(n, L) * L;
        pool.forRange(m, 4, (r0, r1) -> {
            float[] e = scratch(rowScratch, width);
            float[] sums = lanes.get();
            for (int r = r0; r < r1; r++) {
                int g = r * 2 * n;
                for (int i = 0; i < width; i += L) {
                    VectorMask<Float> in = S.indexInRange(i, n);
                    FloatVector.fromArray(S, gateUp, g + i, in).max(SILU_FLOOR).intoArray(e, i);
                }
                VectorMath.expShifted(e, 0, width, 0f, -1f, sums, 0); // e := exp(-gate); the sums are unused
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> in = S.indexInRange(i, n);
                    FloatVector gate = FloatVector.fromArray(S, gateUp, g + i, in);
                    FloatVector up = FloatVector.fromArray(S, gateUp, g + n + i, in);
                    gate.div(FloatVector.fromArray(S, e, i).add(1f)).mul(up).intoArray(out, r * n + i, in);
                }
            }
        });
    }

    /**
     * Blockwise ("flash") causal attention, as {@link VectorKernels}' encoder attention: {@link #MR} query rows at a
     * time, for each of the group's heads, against blocks of {@link #BK} keys from key 0: a block's scores are one
     * float micro-kernel tile ({@link VectorKernels#stridedKernel2}) per {@link #TW} keys, the softmax is kept online
     * (running max and lane-wise sums, lazily rescaled), and the weighted values are added by the same tile, the
     * value block read once for all the heads of the group. A row's weights are exactly 0 from its own position on
     * (later rows' keys, padding), so the keys the call's later rows add change none of its bits.
     */
    @Override
    public void attendCausal(float[] q, int qOff, int qStride, int rows, int group, int pos0, float[] kT, int kTOff,
            int kStride, float[] v, int vOff, int headDim, float scale, float[] out, int outOff, int outStride) {
        int dPad = Math.ceilDiv(headDim, TW) * TW;
        int units = group * MR;
        float[] probs = scratch(probsScratch, units * BK);
        float[] acc = scratch(accScratch, units * dPad);
        float[] stats = scratch(statsScratch, units * (1 + L)); // per unit its running max, then L lane sums
        // a head width that is not a whole tile reads its value block from a zero-padded copy
        float[] vs = headDim == dPad ? v : scratch(valueScratch, BK * dPad);
        int ldv = headDim == dPad ? headDim : dPad;
        if (vs != v) {
            Arrays.fill(vs, 0, BK * dPad, 0f);
        }
        for (int i0 = 0; i0 < rows; i0 += MR) {
            int n = Math.min(MR, rows - i0);
            int first = pos0 + i0;
            int keysMax = first + n;
            Arrays.fill(acc, 0, units * dPad, 0f);
            Arrays.fill(stats, 0, units, Float.NEGATIVE_INFINITY);
            Arrays.fill(stats, units, units * (1 + L), 0f);
            for (int j0 = 0; j0 < keysMax; j0 += BK) {
                int keys = Math.min(BK, keysMax - j0);
                int width = Math.ceilDiv(keys, TW) * TW;
                for (int h = 0; h < group; h++) {
                    int qh = qOff + i0 * qStride + h * headDim;
                    for (int c = 0; c < width; c += TW) {
                        VectorKernels.stridedKernel2(q, qh, qStride, n, headDim, kT, kTOff + j0 + c, kStride, probs,
                                h * MR * BK + c, BK, false);
                    }
                    for (int i = 0; i < n; i++) {
                        int u = h * MR + i;
                        weights(probs, u * BK, width, first + i + 1 - j0, scale, stats, u, units + u * L, acc,
                                u * dPad, dPad);
                    }
                }
                int vAt = vOff + j0 * headDim;
                if (vs != v) {
                    for (int j = 0; j < keys; j++) {
                        System.arraycopy(v, vAt + j * headDim, vs, j * dPad, headDim);
                    }
                    vAt = 0;
                }
                for (int h = 0; h < group; h++) {
                    for (int d = 0; d < dPad; d += TW) {
                        VectorKernels.stridedKernel2(probs, h * MR * BK, BK, n, keys, vs, vAt + d, ldv, acc,
                                h * MR * dPad + d, dPad, true);
                    }
                }
            }
            for (int h = 0; h < group; h++) {
                for (int i = 0; i < n; i++) {
                    int u = h * MR + i;
                    float inv = 1 / VectorMath.sum(stats, units + u * L, L);
                    int o = outOff + (i0 + i) * outStride + h * headDim;
                    for (int d = 0; d < headDim; d += L) {
                        FloatVector.fromArray(S, acc, u * dPad + d).mul(inv)
                                .intoArray(out, o + d, S.indexInRange(d, headDim));
                    }
                }
            }
        }
    }

    @Override
    public int attentionRows() {
        return MR;
    }

    /**
     * One row's raw scores (q·k, unscaled) for a block's keys [0, width) into unnormalised weights
     * {@code exp(scale · (s - m))} against the row's running max m, exactly 0 from key {@code own} on (the row's
     * key count in this block; at most 0 when its keys ended before the block); updates m and the row's lane sums,
     * and rescales its output when m moves by more than {@link #RESCALE_MARGIN} (exact either way: m cancels in
     * the normalisation). The lanes of the row's last vector past its own key add e^-87.33 each to its sums, a
     * function of its position alone.
     */
    private static void weights(float[] p, int off, int width, int own, float scale, float[] stats, int maxAt,
            int sumAt, float[] acc, int accAt, int dPad) {
        if (own <= 0) {
            Arrays.fill(p, off, off + width, 0f);
            return;
        }
        int live = Math.min(width, Math.ceilDiv(own, L) * L);
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int v = 0; v < live; v += L) {
            FloatVector s = FloatVector.fromArray(S, p, off + v);
            if (v + L > own) {
                s = s.blend(Float.NEGATIVE_INFINITY, IOTA.compare(VectorOperators.GE, own - v));
                s.intoArray(p, off + v);
            }
            max = max.max(s);
        }
        float old = stats[maxAt];
        if (max.compare(VectorOperators.GT, old + RESCALE_MARGIN / scale).anyTrue()) {
            float m = Math.max(old, max.reduceLanes(VectorOperators.MAX)); // exact, whatever the order
            if (old != Float.NEGATIVE_INFINITY) { // before the row's first keys, sums and output are still zero
                float corr = (float) StrictMath.exp((old - m) * scale);
                FloatVector.fromArray(S, stats, sumAt).mul(corr).intoArray(stats, sumAt);
                for (int d = 0; d < dPad; d += L) {
                    FloatVector.fromArray(S, acc, accAt + d).mul(corr).intoArray(acc, accAt + d);
                }
            }
            stats[maxAt] = m;
        }
        VectorMath.expShifted(p, off, live, stats[maxAt], scale, stats, sumAt);
        Arrays.fill(p, off + Math.min(own, live), off + width, 0f);
    }


    @Override
    public int keyAlignment() {
        return TW;
    }

    private static float[] iota() {
        float[] f = new float[L];
        for (int i = 0; i < L; i++) {
            f[i] = i;
        }
        return f;
    }

    private static float[] scratch(ThreadLocal<float[]> holder, int n) {
        float[] a = holder.get();
        if (a.length < n) {
            a = new float[n];
            holder.set(a);
        }
        return a;
    }
}

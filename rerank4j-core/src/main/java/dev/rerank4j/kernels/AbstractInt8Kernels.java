package dev.rerank4j.kernels;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Quantization;
import dev.rerank4j.weights.Tensor;
import java.util.Arrays;

/**
 * Packing, activation quantization, work split and the activation, shared by the int8 implementations; they differ
 * in {@link #tile}, the exact integer sums and their rescaling to float, and in {@link #activate}. Rows are taken
 * {@link #MR} at a time against one panel.
 */
abstract class AbstractInt8Kernels implements Int8Kernels {
    static final int MR = 6;
    static final int NR = QuantizedMatrix.PANEL;
    /** Row blocks that share one {@link #preparePanel} of a weight panel: 96 rows, whose activations stay cached. */
    static final int BAND = 16;

    private final ThreadLocal<QuantizedRows> rows = ThreadLocal.withInitial(QuantizedRows::new);
    private final ThreadLocal<int[]> tiles = ThreadLocal.withInitial(() -> new int[MR * NR]);
    private final ThreadLocal<float[]> outTiles = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private final ThreadLocal<float[]> gatedOut = ThreadLocal.withInitial(() -> new float[0]);

    /** Called on the computing thread before the tiles of one panel (the vector kernels widen it to float). */
    abstract void preparePanel(QuantizedMatrix w, int panel);

    /**
     * One tile before the activation, {@code out[r * NR + j]} for rows {@code row0 + r}, r < nr, and the panel's
     * columns (padding columns 0): {@code float(Σ (q - za)(w - zw)) * (sa * sw) + bias}, with {@code sums} (MR x NR)
     * as scratch for the integer sums.
     */
    abstract void tile(QuantizedRows qa, int row0, int nr, QuantizedMatrix w, int panel, float[] bias, int[] sums,
            float[] out);

    /**
     * {@code x[off .. off + len) := act(x)}: the float kernels' activation of the same implementation (a per-element
     * call of the reference GELU, a double-precision series, cost more than the integer multiply itself).
     */
    abstract void activate(Activation act, float[] x, int off, int len);

    @Override
    public QuantizedMatrix pack(Tensor... rowBlocks) {
        return pack(false, rowBlocks);
    }

    @Override
    public QuantizedMatrix packGated(Tensor gateThenLinear) {
        if (gateThenLinear.shape()[0] % 2 != 0) {
            throw new IllegalArgumentException(gateThenLinear.name() + ": a gated unit needs an even number of rows");
        }
        return pack(true, gateThenLinear);
    }

    private QuantizedMatrix pack(boolean gated, Tensor... blocks) {
        int cols = blocks[0].shape()[1];
        int rows = 0;
        for (Tensor t : blocks) {
            if (t.rank() != 2 || t.shape()[1] != cols || t.quantization() == null) {
                throw new IllegalArgumentException(t + ": expected a quantized [out, " + cols + "] weight");
            }
            rows += t.shape()[0];
        }
        int panels = Math.ceilDiv(rows, NR);
        byte[] data = new byte[Math.multiplyExact(panels * NR, cols)];
        int[] zeroPoints = new int[panels * NR];
        float[] scales = new float[panels * NR];
        int[] sums = new int[panels * NR];
        int n = 0;
        for (Tensor t : blocks) {
            Quantization quant = t.quantization();
            int shift = t.dtype() == DType.U8 ? 128 : 0;
            for (int r = 0; r < t.shape()[0]; r++, n++) {
                int base = (n / NR) * cols * NR + n % NR;
                int total = 0;
                for (int k = 0; k < cols; k++) {
                    int v = t.getInt(r, k) - shift;
                    data[base + k * NR] = (byte) v;
                    total += v;
                }
                zeroPoints[n] = quant.zeroPoint(r) - shift;
                scales[n] = quant.scale(r);
                sums[n] = total;
            }
        }
        return new QuantizedMatrix(this, rows, cols, gated, data, zeroPoints, scales, sums);
    }

    @Override
    public void matmul(float[] a, RowGroups groups, QuantizedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        check(w, false);
        gemm(a, groups, w, bias, act, c, pool);
    }

    @Override
    public void matmulGated(float[] a, RowGroups groups, QuantizedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        check(w, true);
        int m = groups.rows();
        int width = w.rows;
        int n = width / 2;
        float[] y = gatedOut.get();
        if (y.length < m * width) {
            y = new float[m * width];
            gatedOut.set(y);
        }
        float[] full = y;
        gemm(a, groups, w, bias, Activation.IDENTITY, full, pool);
        pool.forRange(m, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                activate(act, full, r * width, n);
                for (int j = 0; j < n; j++) {
                    c[r * n + j] = full[r * width + j] * full[r * width + n + j];
                }
            }
        });
    }

    private void check(QuantizedMatrix w, boolean gated) {
        if (w.owner != this || w.gated != gated) {
            throw new IllegalArgumentException("weights " + w + " were not packed by " + (gated ? "packGated" : "pack")
                    + " of " + name());
        }
    }

    private void gemm(float[] a, RowGroups groups, QuantizedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        int m = groups.rows();
        QuantizedRows qa = rows.get();
        qa.quantize(a, groups, w.cols, pool);
        int rowBlocks = Math.ceilDiv(m, MR);
        int bands = Math.ceilDiv(rowBlocks, BAND);
        int panels = w.panels();
        // Integer sums are exact, so how the work is split cannot change a result.
        pool.forRange(bands * panels, 1, (t0, t1) -> {
            int[] tile = tiles.get();
            float[] out = outTiles.get();
            for (int t = t0; t < t1; t++) {
                int panel = t % panels;
                int band = t / panels;
                preparePanel(w, panel);
                for (int b = band * BAND; b < Math.min(rowBlocks, (band + 1) * BAND); b++) {
                    int row0 = b * MR;
                    int nr = Math.min(MR, m - row0);
                    tile(qa, row0, nr, w, panel, bias, tile, out);
                    activate(act, out, 0, nr * NR);
                    store(out, row0, nr, w, panel, c);
                }
            }
        });
    }

    /**
     * ONNX Runtime's float steps after MatMulInteger on raw sums {@code tile} (zero points not yet applied): Cast
     * to float, Mul by the product of the two scales (taken first, in float), Add of the bias; into {@code out}
     * laid out as the tile (padding columns 0). The vector kernels do the same operations lane-wise.
     */
    static void epilogue(QuantizedRows qa, int row0, int nr, QuantizedMatrix w, int panel, int[] tile,
            float[] bias, float[] out) {
        int k = w.cols;
        int n = w.rows;
        int j1 = Math.min(NR, n - panel * NR);
        for (int r = 0; r < nr; r++) {
            int row = row0 + r;
            int za = qa.zeroPoint[row];
            float sa = qa.scale[row];
            int rowSum = qa.sum[row];
            for (int j = 0; j < j1; j++) {
                int col = panel * NR + j;
                int zw = w.zeroPoints[col];
                int exact = tile[r * NR + j] - zw * rowSum - za * w.sums[col] + k * za * zw;
                float y = (float) exact * (sa * w.scales[col]);
                if (bias != null) {
                    y = bias[col] + y;
                }
                out[r * NR + j] = y;
            }
            Arrays.fill(out, r * NR + j1, (r + 1) * NR, 0f);
        }
    }

    private static void store(float[] out, int row0, int nr, QuantizedMatrix w, int panel, float[] c) {
        int n = w.rows;
        int j1 = Math.min(NR, n - panel * NR);
        for (int r = 0; r < nr; r++) {
            System.arraycopy(out, r * NR, c, (row0 + r) * n + panel * NR, j1);
        }
    }
}

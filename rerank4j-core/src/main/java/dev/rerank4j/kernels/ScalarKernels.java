package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/** Plain-Java kernels: the numerical reference, and the fallback when the Vector API is absent. */
public final class ScalarKernels implements Kernels {

    /** Row-major [rows, cols]: each output's weights contiguous along the input dimension. */
    record RowMajor(int rows, int cols, float[] data) implements PackedMatrix {
    }

    /** Per-thread score rows for attention, grown to the longest sequence seen. */
    private final ThreadLocal<float[][]> scores = ThreadLocal.withInitial(() -> new float[1][0]);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        float[] data = stack(rowBlocks);
        int cols = rowBlocks[0].shape()[1];
        return new RowMajor(data.length / cols, cols, data);
    }

    /** The tensors' logical [out, in] rows, one after the other, as one row-major array. */
    static float[] stack(Tensor... rowBlocks) {
        int cols = rowBlocks[0].shape()[1];
        float[] data = new float[Math.multiplyExact(stackedRows(rowBlocks), cols)];
        int r0 = 0;
        for (Tensor t : rowBlocks) {
            int tr = t.shape()[0];
            for (int r = 0; r < tr; r++) {
                int base = (r0 + r) * cols;
                for (int c = 0; c < cols; c++) {
                    data[base + c] = t.get(r, c);
                }
            }
            r0 += tr;
        }
        return data;
    }

    /** Rows of the 2-D tensors stacked, after checking they all have the first one's column count. */
    static int stackedRows(Tensor... rowBlocks) {
        int cols = rowBlocks[0].shape()[1];
        int rows = 0;
        for (Tensor t : rowBlocks) {
            if (t.rank() != 2 || t.shape()[1] != cols) {
                throw new IllegalArgumentException("cannot stack " + t + " onto blocks with " + cols + " columns");
            }
            rows += t.shape()[0];
        }
        return rows;
    }

    @Override
    public PackedMatrix packGated(Tensor gateThenLinear) {
        checkGated(gateThenLinear);
        return pack(gateThenLinear);
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, int from, int to, float[] bias, Activation act, float[] c,
            int ldc, ComputePool pool) {
        RowMajor rm = (RowMajor) w;
        if (from < 0 || to > w.rows() || from > to) {
            throw new IllegalArgumentException("outputs [" + from + ", " + to + ") of " + w.rows());
        }
        pool.forRange(m, 4, (start, end) -> {
            for (int i = start; i < end; i++) {
                for (int j = from; j < to; j++) {
                    c[i * ldc + j] = act.apply(output(a, i, rm, bias, j));
                }
            }
        });
    }

    @Override
    public void matmulGated(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool) {
        RowMajor rm = (RowMajor) w;
        int n = rm.rows() / 2;
        pool.forRange(m, 4, (start, end) -> {
            for (int i = start; i < end; i++) {
                for (int j = 0; j < n; j++) {
                    c[i * n + j] = act.apply(output(a, i, rm, bias, j)) * output(a, i, rm, bias, n + j);
                }
            }
        });
    }

    static void checkGated(Tensor t) {
        if (t.rank() != 2 || t.shape()[0] % 2 != 0) {
            throw new IllegalArgumentException("a gated layer needs [2n, in] weights, got " + t);
        }
    }

    /** Output j of input row i: the dot product of the row with weight row j, plus bias. */
    private static float output(float[] a, int i, RowMajor w, float[] bias, int j) {
        int k = w.cols();
        float s = dot(a, i * k, w.data(), j * k, k);
        return bias == null ? s : s + bias[j];
    }

    @Override
    public void addLayerNorm(float[] x, float[] residual, int m, int n, float[] gamma, float[] beta, float eps,
            ComputePool pool) {
        pool.forRange(m, 16, (start, end) -> {
            for (int r = start; r < end; r++) {
                int off = r * n;
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    float v = residual == null ? x[off + i] : x[off + i] + residual[off + i];
                    x[off + i] = v;
                    mean += v;
                }
                mean /= n;
                double var = 0;
                for (int i = 0; i < n; i++) {
                    double d = x[off + i] - mean;
                    var += d * d;
                }
                var /= n;
                float inv = (float) (1 / Math.sqrt(var + eps));
                float mu = (float) mean;
                for (int i = 0; i < n; i++) {
                    x[off + i] = (x[off + i] - mu) * inv * gamma[i] + beta[i];
                }
            }
        });
    }

    /** The textbook form: each query row's scores in one buffer, softmax, then the weighted sum of values. */
    @Override
    public void attention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim, int head,
            float slope) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = head * headDim;
        int kOff = hidden + head * headDim;
        int vOff = 2 * hidden + head * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] s = scoreRow(len);
        for (int i = 0; i < queries; i++) {
            int qi = (start + i) * stride + qOff;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                s[j] = dot(qkv, qi, qkv, (start + j) * stride + kOff, headDim) * scale - slope * Math.abs(i - j);
                max = Math.max(max, s[j]);
            }
            float sum = 0;
            for (int j = 0; j < len; j++) {
                s[j] = (float) StrictMath.exp(s[j] - max);
                sum += s[j];
            }
            int o = (start + i) * hidden + head * headDim;
            for (int d = 0; d < headDim; d++) {
                float acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += s[j] * qkv[(start + j) * stride + vOff + d];
                }
                out[o + d] = acc / sum;
            }
        }
    }

    /** Each query row's window of scores in one buffer, softmax in double, then the weighted sum of values. */
    @Override
    public void attentionWindow(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, int radius) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        float scale = (float) (1 / StrictMath.sqrt(headDim));
        float[] s = scoreRow(2 * radius + 1);
        for (int i = 0; i < queries; i++) {
            int lo = Math.max(0, i - radius);
            int hi = Math.min(len, i + radius + 1);
            int qi = (start + i) * stride + head * headDim;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = lo; j < hi; j++) {
                s[j - lo] = dot(qkv, qi, qkv, (start + j) * stride + hidden + head * headDim, headDim) * scale;
                max = Math.max(max, s[j - lo]);
            }
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                s[j - lo] = (float) StrictMath.exp(s[j - lo] - max);
                sum += s[j - lo];
            }
            int o = (start + i) * hidden + head * headDim;
            for (int d = 0; d < headDim; d++) {
                double acc = 0;
                for (int j = lo; j < hi; j++) {
                    acc += s[j - lo] * qkv[(start + j) * stride + 2 * hidden + head * headDim + d];
                }
                out[o + d] = (float) (acc / sum);
            }
        }
    }

    private float[] scoreRow(int len) {
        float[][] holder = scores.get();
        if (holder[0].length < len) {
            holder[0] = new float[len];
        }
        return holder[0];
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** The textbook form of the three terms: per pair, the two relative rows looked up and dotted. */
    @Override
    public void relativeAttention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, PackedMatrix posKeys, PackedMatrix posQueries, int[] relIndex, int center, float scale) {
        float[] pk = ((RowMajor) posKeys).data();
        float[] pq = ((RowMajor) posQueries).data();
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = head * headDim;
        int kOff = hidden + qOff;
        int vOff = 2 * hidden + qOff;
        float[] s = scoreRow(len);
        for (int i = 0; i < queries; i++) {
            int qi = (start + i) * stride + qOff;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                int kj = (start + j) * stride + kOff;
                int r = relIndex[center + i - j] * headDim;
                float sc = dot(qkv, qi, qkv, kj, headDim) + dot(qkv, qi, pk, r, headDim) + dot(qkv, kj, pq, r, headDim);
                s[j] = sc * scale;
                max = Math.max(max, s[j]);
            }
            float sum = 0;
            for (int j = 0; j < len; j++) {
                s[j] = (float) StrictMath.exp(s[j] - max);
                sum += s[j];
            }
            int o = (start + i) * hidden + qOff;
            for (int d = 0; d < headDim; d++) {
                float acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += s[j] * qkv[(start + j) * stride + vOff + d];
                }
                out[o + d] = acc / sum;
            }
        }
    }
}

package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/** Plain-Java kernels: the numerical reference, and the fallback when the Vector API is absent. */
public final class ScalarKernels implements Kernels {

    /** Row-major [rows, cols]: each output's weights contiguous along the input dimension. */
    record RowMajor(int rows, int cols, float[] data) implements PackedMatrix {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        return packRowMajor(rowBlocks);
    }

    static RowMajor packRowMajor(Tensor... rowBlocks) {
        int cols = rowBlocks[0].shape()[1];
        int rows = 0;
        for (Tensor t : rowBlocks) {
            if (t.rank() != 2 || t.shape()[1] != cols) {
                throw new IllegalArgumentException("cannot stack " + t + " onto blocks with " + cols + " columns");
            }
            rows += t.shape()[0];
        }
        float[] data = new float[Math.multiplyExact(rows, cols)];
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
        return new RowMajor(rows, cols, data);
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, float[] bias, float[] c, ComputePool pool) {
        RowMajor rm = (RowMajor) w;
        int n = rm.rows();
        int k = rm.cols();
        float[] wd = rm.data();
        pool.forRange(m, 4, (start, end) -> {
            for (int i = start; i < end; i++) {
                int ai = i * k;
                for (int j = 0; j < n; j++) {
                    float s = dot(a, ai, wd, j * k, k);
                    c[i * n + j] = bias == null ? s : s + bias[j];
                }
            }
        });
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

    @Override
    public void gatedActivation(float[] in, int m, int n, Activation act, float[] out, ComputePool pool) {
        pool.forRange(m, 8, (start, end) -> {
            for (int r = start; r < end; r++) {
                int src = r * 2 * n;
                int dst = r * n;
                for (int i = 0; i < n; i++) {
                    out[dst + i] = apply(act, in[src + i]) * in[src + n + i];
                }
            }
        });
    }

    @Override
    public void activate(float[] x, int len, Activation act, ComputePool pool) {
        pool.forRange(len, 4096, (start, end) -> {
            for (int i = start; i < end; i++) {
                x[i] = apply(act, x[i]);
            }
        });
    }

    static float apply(Activation act, float v) {
        return switch (act) {
            case GELU -> Erf.gelu(v);
            case GELU_TANH -> (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
            case RELU -> Math.max(0f, v);
            case TANH -> (float) Math.tanh(v);
        };
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public float expAndSum(float[] x, int off, int len, float max) {
        float sum = 0;
        for (int i = off; i < off + len; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        return sum;
    }
}

package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/** The decoder kernels in plain Java: the reference, and the fallback without the Vector API (weights as float). */
final class ScalarDecoderKernels implements DecoderKernels {
    private final Kernels base;
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[0]);

    ScalarDecoderKernels(Kernels base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public PackedMatrix pack(Tensor... rowBlocks) {
        return base.pack(rowBlocks);
    }

    @Override
    public void matmul(float[] a, int m, PackedMatrix w, float[] c, ComputePool pool) {
        base.matmul(a, m, w, null, Activation.IDENTITY, c, pool);
    }

    @Override
    public void siluMul(float[] gateUp, int m, int n, float[] out, ComputePool pool) {
        pool.forRange(m, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                for (int i = 0; i < n; i++) {
                    float g = gateUp[r * 2 * n + i];
                    out[r * n + i] = (float) (g / (1 + StrictMath.exp(-g))) * gateUp[r * 2 * n + n + i];
                }
            }
        });
    }

    @Override
    public void attendCausal(float[] q, int qOff, int qStride, int rows, int group, int pos0, float[] kT, int kTOff,
            int kStride, float[] v, int vOff, int headDim, float scale, float[] out, int outOff, int outStride) {
        for (int i = 0; i < rows; i++) {
            for (int h = 0; h < group; h++) {
                attendRow(q, qOff + i * qStride + h * headDim, kT, kTOff, kStride, v, vOff, pos0 + i + 1, headDim,
                        scale, out, outOff + i * outStride + h * headDim);
            }
        }
    }

    @Override
    public int attentionRows() {
        return 1;
    }

    /** One query against keys [0, keys): exact softmax in double, then the weighted values. */
    private void attendRow(float[] q, int qOff, float[] kT, int kTOff, int stride, float[] v, int vOff, int keys,
            int headDim, float scale, float[] out, int outOff) {
        float[] s = scores.get();
        if (s.length < keys) {
            s = new float[keys];
            scores.set(s);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < keys; j++) {
            float dot = 0;
            for (int d = 0; d < headDim; d++) {
                dot = Math.fma(q[qOff + d], kT[kTOff + d * stride + j], dot);
            }
            s[j] = dot;
            max = Math.max(max, dot);
        }
        double sum = 0;
        for (int j = 0; j < keys; j++) {
            s[j] = (float) StrictMath.exp((s[j] - max) * (double) scale);
            sum += s[j];
        }
        float inv = (float) (1 / sum);
        for (int d = 0; d < headDim; d++) {
            float acc = 0;
            for (int j = 0; j < keys; j++) {
                acc = Math.fma(s[j], v[vOff + j * headDim + d], acc);
            }
            out[outOff + d] = acc * inv;
        }
    }

    @Override
    public int keyAlignment() {
        return 1;
    }
}

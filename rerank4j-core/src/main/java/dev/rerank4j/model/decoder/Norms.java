package dev.rerank4j.model.decoder;

import dev.rerank4j.kernels.ComputePool;

/** RMSNorm as Qwen3 computes it: {@code w * x / sqrt(mean(x²) + eps)}, no mean removal, no bias. */
final class Norms {
    private Norms() {
    }

    /** m rows of x from offset xOff into out's rows from 0. */
    static void rms(float[] x, int xOff, float[] out, int m, int n, float[] weight, float eps, ComputePool pool) {
        pool.forRange(m, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                rmsRow(x, xOff + r * n, out, r * n, n, weight, eps);
            }
        });
    }

    /** One row; the sum of squares in double, in index order (so the same row always gives the same bits). */
    static void rmsRow(float[] x, int off, float[] out, int outOff, int n, float[] weight, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            sum += v * v;
        }
        float inv = (float) (1 / Math.sqrt(sum / n + eps));
        for (int i = 0; i < n; i++) {
            out[outOff + i] = weight[i] * (x[off + i] * inv);
        }
    }
}

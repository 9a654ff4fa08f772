package dev.rerank4j.model;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;

/**
 * Multi-head self-attention over the fused QKV rows of a {@link Batch}, one (sequence, head) per task, with
 * an optional ALiBi bias computed on the fly. Each query row's scores live in one reusable buffer, so memory
 * grows linearly with sequence length, never with its square.
 */
final class Attention {
    private final Kernels k;
    private final int heads;
    private final int headDim;
    private final float[] slopes;

    Attention(Kernels k, int heads, int headDim, float[] alibiSlopesOrNull) {
        this.k = k;
        this.heads = heads;
        this.headDim = headDim;
        this.slopes = alibiSlopesOrNull;
    }

    /** qkv rows are [q | k | v], each hidden wide; writes the concatenated head outputs to out (hidden wide). */
    void run(Batch batch, float[] qkv, float[] out, ComputePool pool) {
        int hidden = heads * headDim;
        int tasks = batch.size() * heads;
        pool.forRange(tasks, 1, (t0, t1) -> {
            float[] scores = new float[batch.maxLength()];
            for (int t = t0; t < t1; t++) {
                sequenceHead(batch.start(t / heads), batch.length(t / heads), t % heads, hidden, qkv, out, scores);
            }
        });
    }

    private void sequenceHead(int start, int len, int h, int hidden, float[] qkv, float[] out, float[] scores) {
        int stride = 3 * hidden;
        int qOff = h * headDim;
        int kOff = hidden + h * headDim;
        int vOff = 2 * hidden + h * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float slope = slopes == null ? 0 : slopes[h];
        for (int i = 0; i < len; i++) {
            int qi = (start + i) * stride + qOff;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                float s = k.dot(qkv, qi, qkv, (start + j) * stride + kOff, headDim) * scale;
                if (slope != 0) {
                    s -= slope * Math.abs(i - j);
                }
                scores[j] = s;
                max = Math.max(max, s);
            }
            float inv = 1 / k.expAndSum(scores, 0, len, max);
            int o = (start + i) * hidden + h * headDim;
            java.util.Arrays.fill(out, o, o + headDim, 0f);
            for (int j = 0; j < len; j++) {
                k.axpy(scores[j] * inv, qkv, (start + j) * stride + vOff, out, o, headDim);
            }
        }
    }
}

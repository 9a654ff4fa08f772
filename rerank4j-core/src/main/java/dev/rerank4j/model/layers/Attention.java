package dev.rerank4j.model.layers;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Batch;

/**
 * Multi-head self-attention over the fused QKV rows of a {@link Batch}: one (sequence, head) per task, each
 * sequence attending only to itself, with an optional ALiBi bias that the kernel computes on the fly.
 */
public final class Attention {
    private final Kernels k;
    private final int heads;
    private final int headDim;
    private final float[] slopes;

    public Attention(Kernels k, int heads, int headDim, float[] alibiSlopesOrNull) {
        this.k = k;
        this.heads = heads;
        this.headDim = headDim;
        this.slopes = alibiSlopesOrNull;
    }

    /** qkv rows are [q | k | v], each hidden wide; writes the concatenated head outputs to out (hidden wide). */
    public void run(Batch batch, float[] qkv, float[] out, ComputePool pool) {
        // Head-major task order: the threads' contiguous shares then hold the same heads of every sequence,
        // so long and short sequences (cost ~ length²) are spread evenly instead of one thread taking the long ones.
        int n = batch.size();
        pool.forRange(n * heads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int h = t / n;
                int s = t % n;
                k.attention(qkv, out, batch.start(s), batch.length(s), heads, headDim, h,
                        slopes == null ? 0f : slopes[h]);
            }
        });
    }
}

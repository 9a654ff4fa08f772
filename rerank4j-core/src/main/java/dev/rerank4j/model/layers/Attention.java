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

    /**
     * qkv rows are [q | k | v], each hidden wide; writes the concatenated head outputs to out (hidden wide), for
     * every token or, with firstOnly, only for each sequence's first token (its row of out is the same bits either
     * way; the other rows' queries are not read). Keys and values are always every token's.
     */
    public void run(Batch batch, float[] qkv, float[] out, boolean firstOnly, ComputePool pool) {
        // Head-major task order: the threads' contiguous shares then hold the same heads of every sequence,
        // so long and short sequences (cost ~ length²) are spread evenly instead of one thread taking the long ones.
        int n = batch.size();
        pool.forRange(n * heads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int h = t / n;
                int s = t % n;
                int len = batch.length(s);
                k.attention(qkv, out, batch.start(s), len, firstOnly ? 1 : len, heads, headDim, h,
                        slopes == null ? 0f : slopes[h]);
            }
        });
    }
}

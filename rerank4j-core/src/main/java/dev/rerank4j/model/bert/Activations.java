package dev.rerank4j.model.bert;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The intermediate activations of one forward pass, grown to the largest batch seen and then reused: a batch of
 * 16k tokens needs about 200 MB of them, and allocating that afresh per batch costs zeroing, page faults and
 * old-generation collections. The final hidden states are not here; they belong to the caller.
 */
final class Activations {
    private float[] qkv = new float[0];
    private float[] context = new float[0];
    private float[] attentionOut = new float[0];
    private float[] intermediate = new float[0];

    /** Per-token widths these buffers serve: the model's hidden and intermediate sizes. */
    private final int hidden;
    private final int inter;

    private Activations(int hidden, int inter) {
        this.hidden = hidden;
        this.inter = inter;
    }

    /** Sizes every buffer for {@code tokens} rows, reallocating only those that are too small. */
    Activations forTokens(int tokens) {
        qkv = atLeast(qkv, Math.multiplyExact(tokens, 3 * hidden));
        context = atLeast(context, Math.multiplyExact(tokens, hidden));
        attentionOut = atLeast(attentionOut, Math.multiplyExact(tokens, hidden));
        intermediate = atLeast(intermediate, Math.multiplyExact(tokens, inter));
        return this;
    }

    float[] qkv() {
        return qkv;
    }

    float[] context() {
        return context;
    }

    float[] attentionOut() {
        return attentionOut;
    }

    float[] intermediate() {
        return intermediate;
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    /**
     * The idle workspaces of one encoder. A forward pass takes one (or makes one when all are in use by
     * concurrent passes) and gives it back, so there are never more than the peak number of concurrent passes.
     */
    static final class Pool {
        private final ConcurrentLinkedDeque<Activations> idle = new ConcurrentLinkedDeque<>();
        private final int hidden;
        private final int inter;

        Pool(int hidden, int inter) {
            this.hidden = hidden;
            this.inter = inter;
        }

        Activations take(int tokens) {
            Activations a = idle.pollFirst();
            return (a != null ? a : new Activations(hidden, inter)).forTokens(tokens);
        }

        void give(Activations a) {
            idle.addFirst(a);
        }
    }
}

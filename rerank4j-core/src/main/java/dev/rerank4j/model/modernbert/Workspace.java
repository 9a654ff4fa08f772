package dev.rerank4j.model.modernbert;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One forward pass's intermediate buffers, grown to the largest batch seen and reused (allocating hundreds of MB
 * afresh per batch costs zeroing, page faults and old-generation collections). A pass takes one from the
 * encoder's idle set, or makes one when all are in use by concurrent passes, and gives it back.
 */
final class Workspace {
    float[] normed = new float[0];
    float[] qkv = new float[0];
    float[] context = new float[0];
    float[] intermediate = new float[0];

    private Workspace forTokens(int tokens, int hidden, int inter) {
        normed = atLeast(normed, Math.multiplyExact(tokens, hidden));
        qkv = atLeast(qkv, Math.multiplyExact(tokens, 3 * hidden));
        context = atLeast(context, Math.multiplyExact(tokens, hidden));
        intermediate = atLeast(intermediate, Math.multiplyExact(tokens, inter));
        return this;
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    static final class Pool {
        private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();
        private final int hidden;
        private final int inter;

        Pool(int hidden, int inter) {
            this.hidden = hidden;
            this.inter = inter;
        }

        Workspace take(int tokens) {
            Workspace w = idle.pollFirst();
            return (w != null ? w : new Workspace()).forTokens(tokens, hidden, inter);
        }

        void give(Workspace w) {
            idle.addFirst(w);
        }
    }
}

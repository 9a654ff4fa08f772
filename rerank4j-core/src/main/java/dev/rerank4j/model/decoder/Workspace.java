package dev.rerank4j.model.decoder;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One forward pass's buffers, reused from call to call. The layers run {@link #CHUNK} rows at a time, so the wide
 * intermediates (q/k/v, the SwiGLU input and product: 17 floats per hidden unit and row) have a fixed size whatever
 * the batch; only the residual stream and the keys and values grow with the tokens, to the largest batch seen.
 */
final class Workspace {
    /** Rows per dense step: enough for the matrix multiply to split rows between threads, 17.8 MB at 0.6B. */
    static final int CHUNK = 256;

    final float[] normed;
    final float[] qkv;
    final float[] context;
    final float[] delta;
    final float[] gateUp;
    final float[] act;
    private float[] x = new float[0];
    private float[] keysT = new float[0];
    private float[] values = new float[0];

    private Workspace(DecoderConfig c) {
        int h = c.hiddenSize();
        normed = new float[CHUNK * h];
        qkv = new float[CHUNK * (c.qDim() + 2 * c.kvDim())];
        context = new float[CHUNK * c.qDim()];
        delta = new float[CHUNK * h];
        gateUp = new float[CHUNK * 2 * c.intermediateSize()];
        act = new float[CHUNK * c.intermediateSize()];
    }

    /** The residual stream, at least n floats (the caller writes every one it reads). */
    float[] x(int n) {
        return x = atLeast(x, n);
    }

    float[] keysT(int n) {
        return keysT = atLeast(keysT, n);
    }

    float[] values(int n) {
        return values = atLeast(values, n);
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    /** The idle workspaces of one model: a pass takes one (or makes one when all are in use) and gives it back. */
    static final class Pool {
        private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();
        private final DecoderConfig cfg;

        Pool(DecoderConfig cfg) {
            this.cfg = cfg;
        }

        Workspace take() {
            Workspace w = idle.pollFirst();
            return w != null ? w : new Workspace(cfg);
        }

        void give(Workspace w) {
            idle.addFirst(w);
        }
    }
}

package dev.rerank4j.kernels;

/**
 * One compute thread's working buffers, grown to the largest size asked for and then reused, so the kernels
 * allocate nothing once the first batches have run.
 */
final class Scratch {
    private float[] tile = new float[0];
    private float[] keysT = new float[0];
    private float[] probs = new float[0];
    private float[] acc = new float[0];
    private float[] values = new float[0];

    /** The matrix multiply's output tile. */
    float[] tile(int n) {
        tile = atLeast(tile, n);
        return tile;
    }

    /** Attention: one head's keys, transposed. */
    float[] keysT(int n) {
        keysT = atLeast(keysT, n);
        return keysT;
    }

    /** Attention: a block of scores, then of softmax weights. */
    float[] probs(int n) {
        probs = atLeast(probs, n);
        return probs;
    }

    /** Attention: one head's values, contiguous. */
    float[] values(int n) {
        values = atLeast(values, n);
        return values;
    }

    /** Attention: the output rows being accumulated, and each row's running max and sum. */
    float[] acc(int n) {
        acc = atLeast(acc, n);
        return acc;
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }
}

package dev.rerank4j.kernels;

/**
 * One compute thread's buffers for {@link Kernels#relativeAttention}, beside its {@link Scratch}: grown to the
 * largest size asked for and then reused.
 */
final class RelativeScratch {
    private float[] queryTerms = new float[0];
    private float[] keyTerms = new float[0];
    private int[] rowOf = new int[0];
    private int[] keyTermAt = new int[0];

    /** A block of queries against the band of relative keys they use. */
    float[] queryTerms(int n) {
        queryTerms = atLeast(queryTerms, n);
        return queryTerms;
    }

    /** Every key of the head against the band of relative queries it uses. */
    float[] keyTerms(int n) {
        keyTerms = atLeast(keyTerms, n);
        return keyTerms;
    }

    /** Relative row of each key offset j - i, for gathering. */
    int[] rowOf(int n) {
        rowOf = rowOf.length >= n ? rowOf : new int[n];
        return rowOf;
    }

    /** Offset of each key offset j - i's term in the key terms, relative to row i's. */
    int[] keyTermAt(int n) {
        keyTermAt = keyTermAt.length >= n ? keyTermAt : new int[n];
        return keyTermAt;
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }
}

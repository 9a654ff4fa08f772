package dev.rerank4j.model.decoder;

/**
 * Rotary position embedding, default type, "rotate half" layout: element j and j + d/2 of a head turn by the
 * angle {@code position · θ^(-2j/d)}. Angles and their sines and cosines are computed in double with
 * {@code StrictMath} (the same bits on every JVM and in every JIT state), then rounded to float once.
 */
final class Rope {
    private final int half;
    private final double[] invFreq;

    Rope(int headDim, double theta) {
        this.half = headDim / 2;
        this.invFreq = new double[half];
        for (int j = 0; j < half; j++) {
            invFreq[j] = 1 / StrictMath.pow(theta, 2.0 * j / headDim);
        }
    }

    /** Cosines and sines for the given positions, one row per position. */
    Table table(int[] positions) {
        float[] cos = new float[positions.length * half];
        float[] sin = new float[positions.length * half];
        for (int r = 0; r < positions.length; r++) {
            for (int j = 0; j < half; j++) {
                double angle = positions[r] * invFreq[j];
                cos[r * half + j] = (float) StrictMath.cos(angle);
                sin[r * half + j] = (float) StrictMath.sin(angle);
            }
        }
        return new Table(half, cos, sin);
    }

    record Table(int half, float[] cos, float[] sin) {
        /** {@code x := x·cos + rotate_half(x)·sin} for the head at {@code off}, with row {@code row}'s angles. */
        void rotate(float[] x, int off, int row) {
            int a = row * half;
            for (int j = 0; j < half; j++) {
                float lo = x[off + j];
                float hi = x[off + j + half];
                float c = cos[a + j];
                float s = sin[a + j];
                x[off + j] = lo * c - hi * s;
                x[off + j + half] = hi * c + lo * s;
            }
        }
    }
}

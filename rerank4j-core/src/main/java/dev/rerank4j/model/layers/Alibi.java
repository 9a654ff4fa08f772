package dev.rerank4j.model.layers;

/** Slopes of symmetric ALiBi biases ({@code -slope[h] * |i - j|}), as JinaBERT computes them. */
public final class Alibi {
    private Alibi() {
    }

    /**
     * For n heads: the geometric series {@code 2^(-8k/c)}, k = 1..c, for the largest power of two c <= n; the
     * remaining heads take the odd-indexed terms of the series for 2c.
     */
    public static float[] slopes(int heads) {
        float[] out = new float[heads];
        int c = Integer.highestOneBit(heads);
        double[] base = series(c);
        for (int i = 0; i < c; i++) {
            out[i] = (float) base[i];
        }
        if (c < heads) {
            double[] doubled = series(2 * c);
            for (int i = 0; i < heads - c; i++) {
                out[c + i] = (float) doubled[2 * i];
            }
        }
        return out;
    }

    private static double[] series(int n) {
        double start = StrictMath.pow(2, -8.0 / n);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = StrictMath.pow(start, i + 1);
        }
        return s;
    }
}

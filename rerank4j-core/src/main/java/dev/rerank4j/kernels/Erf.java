package dev.rerank4j.kernels;

/**
 * The error function in double precision. Java has none, and GELU must match PyTorch's exact-erf GELU to
 * float rounding, so the reference path evaluates erf's Maclaurin series (Horner in z²), which stays within
 * ~1e-9 absolute for |z| < 4.5; beyond that erf is ±1 to well below float resolution. GELU's negative tail
 * needs erfc to relative accuracy instead, which the series cannot give (1 - erf cancels), so erfc of
 * arguments >= 2 uses its continued fraction.
 */
public final class Erf {
    private static final int TERMS = 80;
    private static final double[] COEFFS = new double[TERMS];
    /** Continued-fraction depth: 50 levels reach double precision for every z >= 2. */
    private static final int CF_DEPTH = 50;

    static {
        // c_n = 2/sqrt(pi) * (-1)^n / (n! (2n+1))
        double factorial = 1;
        for (int n = 0; n < TERMS; n++) {
            if (n > 0) {
                factorial *= n;
            }
            COEFFS[n] = 2 / Math.sqrt(Math.PI) * ((n & 1) == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
    }

    private Erf() {
    }

    public static double erf(double z) {
        double a = Math.abs(z);
        if (a >= 4.5) {
            return Math.signum(z);
        }
        double z2 = z * z;
        double sum = COEFFS[TERMS - 1];
        for (int n = TERMS - 2; n >= 0; n--) {
            sum = sum * z2 + COEFFS[n];
        }
        return z * sum;
    }

    /** {@code 1 - erf(z)}, accurate relative to its own (tiny) size for large z. */
    public static double erfc(double z) {
        if (z < 2) {
            return 1 - erf(z);
        }
        // erfc(z) = exp(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated from the bottom up
        double t = z;
        for (int n = CF_DEPTH; n >= 1; n--) {
            t = z + (n / 2.0) / t;
        }
        return StrictMath.exp(-z * z) / Math.sqrt(Math.PI) / t;
    }

    /** {@code x/2 · (1 + erf(x/√2))}, written as {@code x/2 · erfc(-x/√2)} so the negative tail keeps its digits. */
    public static float gelu(float x) {
        double z = x / Math.sqrt(2);
        return (float) (0.5 * x * (z >= 0 ? 1 + erf(z) : erfc(-z)));
    }
}

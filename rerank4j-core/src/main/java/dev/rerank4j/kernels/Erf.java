package dev.rerank4j.kernels;

/**
 * The error function in double precision. Java has none, and GELU must match PyTorch's exact-erf GELU to
 * float rounding, so the reference path evaluates erf's Maclaurin series (Horner in z²), which stays within
 * ~1e-9 absolute for |z| < 4.5; beyond that erf is ±1 to well below float resolution.
 */
public final class Erf {
    private static final int TERMS = 80;
    private static final double[] COEFFS = new double[TERMS];

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

    public static float gelu(float x) {
        return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
    }
}

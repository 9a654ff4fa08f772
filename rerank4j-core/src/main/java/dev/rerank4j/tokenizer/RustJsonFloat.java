package dev.rerank4j.tokenizer;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number as {@code serde_json} reads it into an f64 (without its float_roundtrip feature): the decimal digits
 * accumulate into a u64 until the next digit would overflow (later digits are dropped), and the result is
 * {@code (double) significand} multiplied or divided by a power of ten. That can be one ulp away from the correctly
 * rounded value Java computes, and Unigram ties are decided by such last bits.
 */
final class RustJsonFloat {
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final double[] POW10 = powersOfTen();

    private RustJsonFloat() {
    }

    private static double[] powersOfTen() {
        double[] p = new double[309];
        for (int i = 0; i < p.length; i++) {
            p[i] = Double.parseDouble("1e" + i);
        }
        return p;
    }

    /** {@code value} must keep the digits as written (no trailing-zero stripping). */
    static double parse(BigDecimal value) {
        boolean negative = value.signum() < 0;
        String digits = value.unscaledValue().abs().toString();
        long exponent = -(long) value.scale();
        BigInteger significand = BigInteger.ZERO;
        int used = 0;
        while (used < digits.length()) {
            BigInteger next = significand.multiply(BigInteger.TEN).add(BigInteger.valueOf(digits.charAt(used) - '0'));
            if (next.compareTo(U64_MAX) > 0) {
                break;
            }
            significand = next;
            used++;
        }
        exponent += digits.length() - used;
        double f = unsignedToDouble(significand.longValue());
        while (true) {
            long abs = Math.abs(exponent);
            if (abs < POW10.length) {
                f = exponent >= 0 ? f * POW10[(int) abs] : f / POW10[(int) abs];
                break;
            }
            if (f == 0.0) {
                break;
            }
            if (exponent >= 0) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            f /= 1e308;
            exponent += 308;
        }
        return negative ? -f : f;
    }

    /** u64 to f64 with round-to-nearest-even, as Rust's {@code as f64} does. */
    private static double unsignedToDouble(long u) {
        if (u >= 0) {
            return (double) u;
        }
        // Halve keeping the sticky bit, convert, double: exact rounding for values >= 2^63.
        double half = (double) ((u >>> 1) | (u & 1));
        return half * 2.0;
    }
}

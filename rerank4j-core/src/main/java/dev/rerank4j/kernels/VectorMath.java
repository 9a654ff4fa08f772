package dev.rerank4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise functions on whole vectors, accurate to a few float ulps like their scalar references. */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /*
     * erfc(z) = t·exp(-z² + P(t)), t = 1 / (1 + z/2), z >= 0: the Chebyshev fit of Numerical Recipes ("erfcc"),
     * with fractional error below 1.2e-7 for every z >= 0. Relative accuracy in erfc is what keeps GELU's
     * tiny negative tail right, which an absolute-error erf approximation would not.
     */
    private static final float[] ERFC_POLY = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f,
        -0.18628806f, 0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};

    private static final float LOG2E = (float) (1 / Math.log(2));
    /** ln 2 split so that n·LN2_HI is exact for the |n| <= 128 that occur. */
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-6f;
    /** Adding 1.5·2²³ rounds a float to an integer and leaves that integer in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    /** Below this e^x is under the smallest normal float; the result is flushed to 0. */
    private static final float EXP_MIN = -87.33f;
    private static final float[] EXP_TAYLOR = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040};

    private VectorMath() {
    }

    /**
     * e^x for x <= 88: x = n·ln2 + r with |r| <= ln2/2, e^r by its degree-7 Taylor polynomial (truncation below
     * 6e-9 relative), 2^n built in the exponent bits. About 2 ulps; far cheaper than the library's exp.
     */
    static FloatVector exp(FloatVector x) {
        return exp(x, FloatVector.zero(S));
    }

    /**
     * e^(x + tail) for a small tail that x's float rounding would lose: the tail joins after the range
     * reduction, where the reduced argument is small enough to carry it.
     */
    static FloatVector exp(FloatVector x, FloatVector tail) {
        FloatVector sum = x.add(tail);
        FloatVector shifted = sum.max(EXP_MIN).fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r).add(tail);
        FloatVector p = FloatVector.broadcast(S, EXP_TAYLOR[EXP_TAYLOR.length - 1]);
        for (int i = EXP_TAYLOR.length - 2; i >= 0; i--) {
            p = p.fma(r, FloatVector.broadcast(S, EXP_TAYLOR[i]));
        }
        IntVector bits = (IntVector) shifted.reinterpretAsInts();
        FloatVector twoToN = bits.sub(Float.floatToRawIntBits(ROUNDER) - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(twoToN).blend(0f, sum.compare(VectorOperators.LT, EXP_MIN));
    }

    static FloatVector apply(Activation act, FloatVector x) {
        return switch (act) {
            case IDENTITY -> x;
            case GELU -> gelu(x);
            case GELU_TANH -> geluTanh(x);
            case RELU -> x.max(0f);
            case TANH -> x.lanewise(VectorOperators.TANH);
        };
    }

    /**
     * erfc(|x|/√2), the form GELU needs. The exponent -x²/2 reaches -90 in the tail, where float spacing is
     * 1e-5: it is split into the rounded -x²/2 and its rounding error, which joins after range reduction.
     */
    static FloatVector erfcOfScaled(FloatVector x) {
        FloatVector z = x.abs().mul(INV_SQRT2);
        FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(0.5f, 1f));
        FloatVector p = FloatVector.broadcast(S, ERFC_POLY[ERFC_POLY.length - 1]);
        for (int i = ERFC_POLY.length - 2; i >= 0; i--) {
            p = p.mul(t).add(ERFC_POLY[i]);
        }
        FloatVector xx = x.mul(x);
        FloatVector xxError = x.fma(x, xx.neg());
        return t.mul(exp(xx.mul(-0.5f), p.sub(xxError.mul(0.5f))));
    }

    /** Exact-erf GELU: {@code x/2 · erfc(-x/√2)}, with erfc of a negative argument as {@code 2 - erfc(|·|)}. */
    static FloatVector gelu(FloatVector x) {
        FloatVector e = erfcOfScaled(x);
        FloatVector positive = e.neg().add(2f);
        return x.mul(0.5f).mul(e.blend(positive, x.compare(VectorOperators.GE, 0f)));
    }

    static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).fma(0.044715f, 1f).mul(x).mul(SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }
}

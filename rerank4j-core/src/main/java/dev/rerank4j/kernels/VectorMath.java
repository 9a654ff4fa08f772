package dev.rerank4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise functions over float arrays, accurate to about 1e-6 relative like their scalar references.
 *
 * <p>Each function is one loop over an array range, with its whole computation written inside the loop (GELU is
 * four passes, see {@link #gelu}). That is deliberate: HotSpot's C2 refuses to inline a helper taking or
 * returning a vector once the helper's own (profiling) compiled code is large, and a vector crossing a call that
 * is not inlined is boxed on the heap, which costs more than the arithmetic. Hence the exp core appears inside the
 * two hot loops (GELU and softmax) as well as in {@link #exp}, which only the activations that run a few rows per
 * pass (tanh) or rarely (tanh-GELU) call. For the same reason every constant is a static final vector and every
 * polynomial is written out: a {@code broadcast} per coefficient inside the loop made the methods big enough that
 * C2 sometimes left {@code broadcast} itself un-inlined, and GELU then ran five times slower, in some JVM runs and
 * not in others.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /*
     * erfc(z) = t·exp(-z² + P(t)), t = 1 / (1 + z/2), z >= 0: the Chebyshev fit of Numerical Recipes ("erfcc"),
     * with fractional error below 1.2e-7 for every z >= 0. Relative accuracy in erfc is what keeps GELU's
     * tiny negative tail right, which an absolute-error erf approximation would not. C0..C9: P's coefficients,
     * lowest degree first.
     */
    private static final FloatVector C0 = FloatVector.broadcast(S, -1.26551223f);
    private static final FloatVector C1 = FloatVector.broadcast(S, 1.00002368f);
    private static final FloatVector C2 = FloatVector.broadcast(S, 0.37409196f);
    private static final FloatVector C3 = FloatVector.broadcast(S, 0.09678418f);
    private static final FloatVector C4 = FloatVector.broadcast(S, -0.18628806f);
    private static final FloatVector C5 = FloatVector.broadcast(S, 0.27886807f);
    private static final FloatVector C6 = FloatVector.broadcast(S, -1.13520398f);
    private static final FloatVector C7 = FloatVector.broadcast(S, 1.48851587f);
    private static final FloatVector C8 = FloatVector.broadcast(S, -0.82215223f);
    private static final FloatVector C9 = FloatVector.broadcast(S, 0.17087277f);

    /*
     * exp(x): x = n·ln2 + r with |r| <= ln2/2, e^r by its degree-7 Taylor polynomial (truncation below 6e-9
     * relative), 2^n built in the exponent bits; about 2 ulps. Adding 1.5·2²³ rounds x·log2(e) to the integer n
     * and leaves n in the low mantissa bits; ln 2 is split so that n·LN2_HI is exact.
     */
    private static final float LOG2E = (float) (1 / Math.log(2));
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-6f;
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_TO_BIASED_EXPONENT = Float.floatToRawIntBits(ROUNDER) - 127;
    /** Below this e^x is under the smallest normal float; the result is flushed to 0. */
    private static final float EXP_MIN = -87.33f;
    /** Above this e^x would not be a finite float. */
    private static final float EXP_MAX = 88f;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector E2 = FloatVector.broadcast(S, 1f / 2);
    private static final FloatVector E3 = FloatVector.broadcast(S, 1f / 6);
    private static final FloatVector E4 = FloatVector.broadcast(S, 1f / 24);
    private static final FloatVector E5 = FloatVector.broadcast(S, 1f / 120);
    private static final FloatVector E6 = FloatVector.broadcast(S, 1f / 720);
    private static final FloatVector E7 = FloatVector.broadcast(S, 1f / 5040);

    /* tanh(x) = x + T3·x³ + T5·x⁵ + T7·x⁷ + T9·x⁹ + O(x¹¹): Taylor coefficients. */
    private static final FloatVector T3 = FloatVector.broadcast(S, -1f / 3);
    private static final FloatVector T5 = FloatVector.broadcast(S, 2f / 15);
    private static final FloatVector T7 = FloatVector.broadcast(S, -17f / 315);
    private static final FloatVector T9 = FloatVector.broadcast(S, 62f / 2835);

    private VectorMath() {
    }

    /** {@code x[off .. off + len) := act(x)}. */
    static void activate(Activation act, float[] x, int off, int len) {
        switch (act) {
            case IDENTITY -> {
            }
            case GELU -> gelu(x, off, len);
            case GELU_TANH -> geluTanh(x, off, len);
            case RELU -> relu(x, off, len);
            case TANH -> tanh(x, off, len);
        }
    }

    /** Floats of GELU's passes at a time: the matrix multiply's epilogue activates 96 or 48 per call. */
    private static final int GELU_CHUNK = 128;
    /** Where GELU's intermediates sit in its scratch, a chunk each: t, P(t) then r, 2^n's bits, the exponent. */
    private static final int T_AT = 0;
    private static final int R_AT = GELU_CHUNK;
    private static final int SHIFTED_AT = 2 * GELU_CHUNK;
    private static final int EXPONENT_AT = 3 * GELU_CHUNK;
    /** Per thread, GELU's intermediates between passes. */
    private static final ThreadLocal<float[]> GELU_SCRATCH = ThreadLocal.withInitial(() -> new float[4 * GELU_CHUNK]);

    /**
     * Exact-erf GELU, {@code x/2 · erfc(-x/√2)}, with erfc of a negative argument as {@code 2 - erfc(|·|)}.
     * The exponent -x²/2 reaches -90 in the tail, where float spacing is 1e-5: it is carried as the rounded
     * -x²/2 plus its rounding error, which joins the argument after range reduction.
     *
     * <p>The computation is one chain of about 50 dependent operations (a division, a degree-9 polynomial, an
     * exponential), some 150 cycles long. Written as one loop, the out-of-order window held the chains of about
     * two vectors at a time: 55 cycles per vector of 8 on AVX2, which made the K = 384 up-projection of a
     * 384-wide model take 1.26x the time of the same multiply without it. Four passes over a chunk, each a short
     * chain, with the values between them in an L1 scratch, run at 37 cycles: the same operations on the same
     * values, so the same bits.
     */
    static void gelu(float[] x, int off, int len) {
        float[] s = GELU_SCRATCH.get();
        for (int c = 0; c < len; c += GELU_CHUNK) {
            int n = Math.min(GELU_CHUNK, len - c);
            geluT(x, off + c, n, s);
            geluPolynomial(n, s);
            geluExponent(x, off + c, n, s);
            geluOut(x, off + c, n, s);
        }
    }

    // GELU's passes, each its own small method: as one method of four loops, C1 ran out of registers compiling
    // it, and the tiered policy then left it in C1's code, where every vector operation allocates.

    /** {@code t = 1 / (1 + |x|/√2 / 2)} into the scratch's first chunk. */
    private static void geluT(float[] x, int off, int len, float[] s) {
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i, S.indexInRange(i, len));
            ONE.div(v.abs().mul(INV_SQRT2).fma(0.5f, 1f)).intoArray(s, T_AT + i);
        }
    }

    /** P(t) into the second chunk. */
    private static void geluPolynomial(int len, float[] s) {
        for (int i = 0; i < len; i += L) {
            FloatVector t = FloatVector.fromArray(S, s, T_AT + i);
            C9.fma(t, C8).fma(t, C7).fma(t, C6).fma(t, C5).fma(t, C4).fma(t, C3).fma(t, C2).fma(t, C1).fma(t, C0)
                    .intoArray(s, R_AT + i);
        }
    }

    /**
     * The exponent -x²/2 + P(t) range-reduced: r in place of P(t), then the shifted exponent and the unreduced
     * one (whose underflow the last pass tests) in the third and fourth chunks.
     */
    private static void geluExponent(float[] x, int off, int len, float[] s) {
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i, S.indexInRange(i, len));
            FloatVector p = FloatVector.fromArray(S, s, R_AT + i);
            FloatVector vv = v.mul(v);
            FloatVector head = vv.mul(-0.5f);
            FloatVector tail = p.sub(v.fma(v, vv.neg()).mul(0.5f));
            // exp(head + tail), the tail added after range reduction
            FloatVector sum = head.add(tail);
            FloatVector shifted = sum.max(EXP_MIN).fma(LOG2E, ROUNDER);
            FloatVector n = shifted.sub(ROUNDER);
            FloatVector r = n.fma(NEG_LN2_HI, head);
            n.fma(NEG_LN2_LO, r).add(tail).intoArray(s, R_AT + i);
            shifted.intoArray(s, SHIFTED_AT + i);
            sum.intoArray(s, EXPONENT_AT + i);
        }
    }

    /** {@code x/2 · erfc(-x/√2)} from t, e^r, 2^n and the sign of x. */
    private static void geluOut(float[] x, int off, int len, float[] s) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector v = FloatVector.fromArray(S, x, off + i, m);
            FloatVector t = FloatVector.fromArray(S, s, T_AT + i);
            FloatVector r = FloatVector.fromArray(S, s, R_AT + i);
            FloatVector e = E7.fma(r, E6).fma(r, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
            FloatVector twoToN = ((IntVector) FloatVector.fromArray(S, s, SHIFTED_AT + i).reinterpretAsInts())
                    .sub(ROUNDER_TO_BIASED_EXPONENT).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector sum = FloatVector.fromArray(S, s, EXPONENT_AT + i);
            FloatVector erfc = t.mul(e.mul(twoToN)).blend(0f, sum.compare(VectorOperators.LT, EXP_MIN));
            FloatVector factor = erfc.blend(erfc.neg().add(2f), v.compare(VectorOperators.GE, 0f));
            v.mul(0.5f).mul(factor).intoArray(x, off + i, m);
        }
    }

    /**
     * {@code x := exp(scale · (x - shift))} over whole vectors (len a multiple of the lane count), adding the new
     * values lane-wise into the L floats of {@code sums} at {@code sumsAt} (a reduction per call would cost more
     * than the exponentials). Built for softmax, where the largest argument is about 0: arguments under -87.33
     * (including -inf) give e^-87.33 ~ 1e-38 instead of 0, which no normalised sum can tell apart. The shift is
     * rounded once into {@code scale · shift}; that error is common to every weight of a row and cancels.
     */
    static void expShifted(float[] x, int off, int len, float shift, float scale, float[] sums, int sumsAt) {
        if (len % L != 0) {
            throw new IllegalArgumentException("length " + len + " is not a multiple of " + L + " lanes");
        }
        FloatVector total = FloatVector.fromArray(S, sums, sumsAt);
        float negShift = -scale * shift;
        for (int i = 0; i < len; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, off + i).fma(scale, negShift).max(EXP_MIN);
            FloatVector shifted = a.fma(LOG2E, ROUNDER);
            FloatVector n = shifted.sub(ROUNDER);
            FloatVector r = n.fma(NEG_LN2_HI, a);
            r = n.fma(NEG_LN2_LO, r);
            FloatVector e = E7.fma(r, E6).fma(r, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
            FloatVector twoToN = ((IntVector) shifted.reinterpretAsInts()).sub(ROUNDER_TO_BIASED_EXPONENT)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector y = e.mul(twoToN);
            y.intoArray(x, off + i);
            total = total.add(y);
        }
        total.intoArray(sums, sumsAt);
    }

    /**
     * {@code x/2 · (1 + tanh(u))} computed as {@code x / (1 + e^(-2u))}: the same function without the
     * cancellation of {@code 1 + tanh} in the negative tail.
     */
    static void geluTanh(float[] x, int off, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector v = FloatVector.fromArray(S, x, off + i, m);
            FloatVector inner = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
            v.div(exp(inner.mul(-2f)).add(1f)).intoArray(x, off + i, m);
        }
    }

    static void relu(float[] x, int off, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector.fromArray(S, x, off + i, m).max(0f).intoArray(x, off + i, m);
        }
    }

    /**
     * tanh without the Vector API's {@code TANH}, which C2 computes with a vendor library and the interpreter
     * with {@code Math.tanh}, so its bits depend on whether the caller was compiled yet. Below |x| = 1/4, the
     * odd Taylor polynomial to x⁹ (relative error under 1e-8); above, {@code (1 - e^(-2|x|)) / (1 + e^(-2|x|))}
     * (absolute error about 2e-7).
     */
    static void tanh(float[] x, int off, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector v = FloatVector.fromArray(S, x, off + i, m);
            FloatVector a = v.abs();
            FloatVector e = exp(a.mul(-2f));
            FloatVector large = ONE.sub(e).div(ONE.add(e));
            FloatVector a2 = a.mul(a);
            FloatVector small = T9.fma(a2, T7).fma(a2, T5).fma(a2, T3).mul(a2).fma(a, a);
            FloatVector t = large.blend(small, a.compare(VectorOperators.LT, 0.25f));
            t.blend(t.neg(), v.compare(VectorOperators.LT, 0f)).intoArray(x, off + i, m);
        }
    }

    /**
     * e^x for the activations that are not hot enough to carry their own copy of the exp core (see the class
     * comment); arguments are clamped to [-87.33, 88], where the 2ⁿ construction stays a normal float.
     */
    private static FloatVector exp(FloatVector x) {
        FloatVector a = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector shifted = a.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(NEG_LN2_HI, a);
        r = n.fma(NEG_LN2_LO, r);
        FloatVector e = E7.fma(r, E6).fma(r, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
        FloatVector twoToN = ((IntVector) shifted.reinterpretAsInts()).sub(ROUNDER_TO_BIASED_EXPONENT)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.mul(twoToN);
    }

    /**
     * The sum of a vector's lanes from the first to the last. {@code reduceLanes(ADD)} leaves the order open, and
     * C2 (a tree) and the interpreter (a sequence) take different ones, so its result depends on the JIT state.
     */
    static double sumLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        return sum(lanes, 0, L);
    }

    /** {@code x[off] + x[off + 1] + ...}, in that order. */
    static float sum(float[] x, int off, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += x[off + i];
        }
        return s;
    }
}

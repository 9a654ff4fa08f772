package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector activations against their double-precision definitions, across their whole useful range. */
class VectorMathTest {
    private static final int L = VectorMath.S.length();

    @Test
    void geluFollowsTheExactErfDefinitionToFloatPrecision() {
        double worst = 0;
        for (float x = -14f; x <= 14f; x += 1f / 1024) {
            double ref = 0.5 * x * Erf.erfc(-x / Math.sqrt(2));
            float got = lane0(VectorMath.gelu(FloatVector.broadcast(VectorMath.S, x)));
            if (Math.abs(ref) > 1e-37) {
                double rel = Math.abs(got - ref) / Math.abs(ref);
                worst = Math.max(worst, rel);
                assertThat(rel).as("gelu(%s): %s vs %s", x, got, ref).isLessThan(1e-6);
            } else {
                assertThat(Math.abs(got)).as("gelu(%s) underflows", x).isLessThan(1e-37f);
            }
        }
        assertThat(worst).as("the accuracy is measured, not vacuous").isGreaterThan(0);
    }

    @Test
    void erfcKeepsRelativeAccuracyInItsTail() {
        for (float x = 0f; x <= 13f; x += 1f / 256) {
            double ref = Erf.erfc(x / Math.sqrt(2));
            float got = lane0(VectorMath.erfcOfScaled(FloatVector.broadcast(VectorMath.S, x)));
            assertThat(Math.abs(got - ref) / ref).as("erfc(%s/√2)", x).isLessThan(1e-6);
        }
    }

    @Test
    void expIsAccurateWhereSoftmaxAndGeluUseItAndZeroBelowTheFloatRange() {
        for (float x = -87f; x <= 10f; x += 1f / 512) {
            double ref = Math.exp(x);
            float got = lane0(VectorMath.exp(FloatVector.broadcast(VectorMath.S, x)));
            assertThat(Math.abs(got - ref) / ref).as("exp(%s)", x).isLessThan(4e-7);
        }
        assertThat(lane0(VectorMath.exp(FloatVector.broadcast(VectorMath.S, Float.NEGATIVE_INFINITY)))).isZero();
        assertThat(lane0(VectorMath.exp(FloatVector.broadcast(VectorMath.S, -100f)))).isZero();
    }

    @Test
    void everyActivationMatchesItsScalarDefinitionInEveryLane() {
        float[] xs = new float[L];
        for (Activation act : Activation.values()) {
            for (float x0 = -8f; x0 <= 8f; x0 += 0.37f) {
                for (int i = 0; i < L; i++) {
                    xs[i] = x0 + i * 0.011f;
                }
                float[] got = VectorMath.apply(act, FloatVector.fromArray(VectorMath.S, xs, 0)).toArray();
                for (int i = 0; i < L; i++) {
                    float ref = act.apply(xs[i]);
                    assertThat(got[i]).as("%s(%s)", act, xs[i])
                            .isCloseTo(ref, org.assertj.core.api.Assertions.within(2e-6f * Math.max(1, Math.abs(ref))));
                }
            }
        }
    }

    private static float lane0(FloatVector v) {
        return v.lane(0);
    }
}

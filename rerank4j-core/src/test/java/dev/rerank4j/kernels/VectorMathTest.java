package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The vector activations against their double-precision definitions, across their whole useful range. */
class VectorMathTest {

    /** x0, x0 + step, ... up to hi: a range of arguments as one array, its length no multiple of a vector. */
    private static float[] range(float lo, float hi, float step) {
        int n = (int) ((hi - lo) / step) + 1;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + i * step;
        }
        return x;
    }

    @Test
    void geluFollowsTheExactErfDefinitionToFloatPrecisionIncludingItsTail() {
        float[] x = range(-14f, 14f, 1f / 1024);
        float[] got = x.clone();
        VectorMath.gelu(got, 0, got.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double ref = 0.5 * x[i] * Erf.erfc(-x[i] / Math.sqrt(2));
            if (Math.abs(ref) > 1e-37) {
                double rel = Math.abs(got[i] - ref) / Math.abs(ref);
                worst = Math.max(worst, rel);
                assertThat(rel).as("gelu(%s): %s vs %s", x[i], got[i], ref).isLessThan(1e-6);
            } else {
                assertThat(Math.abs(got[i])).as("gelu(%s) underflows", x[i]).isLessThan(1e-37f);
            }
        }
        assertThat(worst).as("the accuracy is measured, not vacuous").isGreaterThan(0);
    }

    /**
     * GELU runs in passes over chunks of the range: an element gets the same bits whether it is activated alone,
     * in a partial vector, or deep in a range of several chunks with a ragged end.
     */
    @Test
    void geluGivesAnElementTheSameBitsWhateverRangeItIsIn() {
        float[] x = range(-15f, 15f, 0.0137f); // 2,190 elements: 17 chunks and a partial vector
        float[] whole = x.clone();
        VectorMath.gelu(whole, 0, whole.length);
        for (int i = 0; i < x.length; i++) {
            float[] alone = {x[i]};
            VectorMath.gelu(alone, 0, 1);
            assertThat(alone[0]).as("gelu(%s) alone and at %d of the range", x[i], i).isEqualTo(whole[i]);
        }
        float[] shifted = new float[x.length + 3];
        System.arraycopy(x, 0, shifted, 3, x.length);
        VectorMath.gelu(shifted, 3, x.length);
        assertThat(Arrays.copyOfRange(shifted, 3, shifted.length)).as("the range three floats on").containsExactly(whole);
    }

    @Test
    void geluOnlyTouchesItsRange() {
        float[] x = {-1f, 1f, 2f, 3f, 4f};
        VectorMath.gelu(x, 1, 3);
        assertThat(x[0]).isEqualTo(-1f);
        assertThat(x[4]).isEqualTo(4f);
        assertThat(x[1]).isCloseTo(Erf.gelu(1f), within(1e-6f));
        assertThat(x[3]).isCloseTo(Erf.gelu(3f), within(3e-6f));
    }

    @Test
    void expShiftedIsAccurateAndSumsItsRangeLaneWise() {
        int lanes = VectorMath.S.length();
        float[] x = range(-170f, 20f, 1f / 256); // scaled by 1/2 below: arguments from -86 to 9
        int n = x.length / lanes * lanes;
        float[] got = x.clone();
        float[] sums = new float[lanes];
        sums[0] = 5f; // sums accumulate onto what is there
        VectorMath.expShifted(got, 0, n, 2f, 0.5f, sums, 0);
        double refSum = 5;
        for (int i = 0; i < n; i++) {
            double ref = Math.exp(0.5 * (x[i] - 2.0));
            refSum += ref;
            assertThat(Math.abs(got[i] - ref) / ref).as("exp((%s - 2) / 2)", x[i]).isLessThan(4e-7);
        }
        assertThat(got[n]).as("past the range").isEqualTo(x[n]);
        double sum = 0;
        for (float lane : sums) {
            sum += lane;
        }
        assertThat(sum).isCloseTo(refSum, within(refSum * 1e-5));
    }

    @Test
    void expShiftedGivesNegligibleWeightBelowTheFloatRangeAndWantsWholeVectors() {
        int lanes = VectorMath.S.length();
        float[] x = new float[lanes];
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = -1000f;
        VectorMath.expShifted(x, 0, lanes, 0f, 1f, new float[lanes], 0);
        assertThat(x[0]).isLessThan(2e-38f);
        assertThat(x[1]).isLessThan(2e-38f);
        assertThat(x[2]).isEqualTo(1f);
        assertThatThrownBy(() -> VectorMath.expShifted(x, 0, lanes - 1, 0f, 1f, new float[lanes], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyActivationMatchesItsScalarDefinition() {
        float[] x = range(-8f, 8f, 0.0137f);
        for (Activation act : Activation.values()) {
            float[] got = x.clone();
            VectorMath.activate(act, got, 0, got.length);
            for (int i = 0; i < x.length; i++) {
                float ref = act.apply(x[i]);
                assertThat(got[i]).as("%s(%s)", act, x[i]).isCloseTo(ref, within(2e-6f * Math.max(1, Math.abs(ref))));
            }
        }
    }

    @Test
    void tanhKeepsRelativeAccuracyNearZeroAndSaturatesWithoutOverflow() {
        float[] x = {1e-30f, -3e-6f, 0.01f, -0.2499f, 0.2501f, 5f, -20f, 60f, -1000f, Float.MAX_VALUE};
        float[] got = x.clone();
        VectorMath.activate(Activation.TANH, got, 0, got.length);
        for (int i = 0; i < x.length; i++) {
            double ref = StrictMath.tanh(x[i]);
            assertThat((double) got[i]).as("tanh(%s)", x[i]).isCloseTo(ref, within(Math.max(1e-7 * Math.abs(ref), 2e-7)));
            assertThat(Math.signum(got[i])).isEqualTo(Math.signum(x[i]));
        }
        assertThat(got[0]).isEqualTo(1e-30f);
    }

    @Test
    void tanhGeluKeepsItsNegativeTail() {
        float[] x = {-10f, -6f, -3f};
        float[] got = x.clone();
        VectorMath.activate(Activation.GELU_TANH, got, 0, got.length);
        for (int i = 0; i < x.length; i++) {
            double u = Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * x[i] * x[i] * x[i]);
            double ref = x[i] / (1 + StrictMath.exp(-2 * u));
            assertThat((double) got[i]).as("gelu_tanh(%s)", x[i]).isCloseTo(ref, within(Math.abs(ref) * 1e-5));
        }
    }
}

package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/**
 * The numeric primitives the encoder is built from. {@link ScalarKernels} is the reference every other
 * implementation is tested against; {@link KernelsProvider} chooses one at start-up.
 *
 * <p>Activations are row-major {@code float[]} matrices (one row per token). Weights are packed once at load.
 */
public interface Kernels {

    String name();

    /** Packs weights of logical shape [out, in]; several tensors are stacked along out (e.g. fused Q, K, V). */
    PackedMatrix pack(Tensor... rowBlocks);

    /** {@code c[m, w.rows] = a[m, w.cols] · wᵀ (+ bias)}; bias may be null. */
    void matmul(float[] a, int m, PackedMatrix w, float[] bias, float[] c, ComputePool pool);

    /** {@code x[r] := LayerNorm(x[r] + residual[r])} for each of m rows of width n; residual may be null. */
    void addLayerNorm(float[] x, float[] residual, int m, int n, float[] gamma, float[] beta, float eps,
            ComputePool pool);

    /**
     * Gated activation of the GLU family: for each of m rows of {@code in} (width 2n), writes
     * {@code act(in[r, :n]) * in[r, n:]} to {@code out[r]} (width n).
     */
    void gatedActivation(float[] in, int m, int n, Activation act, float[] out, ComputePool pool);

    /** {@code x := act(x)} over the first {@code len} elements. */
    void activate(float[] x, int len, Activation act, ComputePool pool);

    float dot(float[] a, int aOff, float[] b, int bOff, int len);

    /** {@code y[yOff + i] += alpha * x[xOff + i]}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

    /** {@code x[i] := exp(x[i] - max)} over a range; returns the sum of the new values. */
    float expAndSum(float[] x, int off, int len, float max);
}

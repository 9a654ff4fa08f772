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

    /**
     * Packs the weights of a gated linear unit, logical shape [2n, in]: the n gate rows first, then the n linear
     * rows. Only {@link #matmulGated} reads the result.
     */
    PackedMatrix packGated(Tensor gateThenLinear);

    /** {@code c[m, w.rows] = act(a[m, w.cols] · wᵀ + bias)}; bias may be null. */
    default void matmul(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] c, ComputePool pool) {
        matmul(a, m, w, 0, w.rows(), bias, act, c, w.rows(), pool);
    }

    /**
     * Outputs {@code [from, to)} of {@link #matmul} only: {@code c[i * ldc + j] = act(a[i] · w[j] + bias[j])} for
     * those j, the rest of c untouched. Each output is the same bits as in the full product (a layer can compute
     * its keys and values for every token and its queries for a few). Bias may be null.
     */
    void matmul(float[] a, int m, PackedMatrix w, int from, int to, float[] bias, Activation act, float[] c, int ldc,
            ComputePool pool);

    /**
     * The gated linear unit: with {@code y = a · wᵀ + bias} (width 2n, as packed by {@link #packGated}),
     * {@code c[m, n] = act(y[:, :n]) * y[:, n:]}; bias may be null.
     */
    void matmulGated(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] c, ComputePool pool);

    /** {@code x[r] := LayerNorm(x[r] + residual[r])} for each of m rows of width n; residual may be null. */
    void addLayerNorm(float[] x, float[] residual, int m, int n, float[] gamma, float[] beta, float eps,
            ComputePool pool);

    /**
     * Softmax attention of one head within one sequence. Rows {@code [start, start + len)} of {@code qkv} hold
     * {@code [q | k | v]}, each {@code heads * headDim} wide; the head's slice of each is at
     * {@code head * headDim}. For each query row i, writes
     * {@code Σ_j softmax_j(q_i·k_j / sqrt(headDim) - slope·|i - j|) v_j} to the head's slice of {@code out}
     * (rows {@code heads * headDim} wide), for the first {@code queries} rows of the sequence ({@code len} for all;
     * fewer when only they are read, as a CLS head's last layer; a row's output is the same bits either way).
     * Slope 0 means no ALiBi bias. Memory use is linear in len.
     */
    void attention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim, int head,
            float slope);

    /**
     * Sliding-window softmax attention: as {@link #attention} without a bias, but query row i attends only to the
     * keys j of its sequence with {@code |i - j| <= radius}. Only keys near the window are visited, so the cost
     * is linear in len.
     */
    void attentionWindow(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim, int head,
            int radius);

    /**
     * DeBERTa's disentangled attention of one head within one sequence: as {@link #attention} without ALiBi, with
     * scores {@code scale · (q_i·k_j + q_i·posKeys[r] + k_j·posQueries[r])} where {@code r = relIndex[center + i - j]}
     * (content-to-content, content-to-position, position-to-content). posKeys and posQueries are this head's
     * projections of the relative embedding table, [positions, headDim], made by {@link #pack}; relIndex must be
     * non-decreasing, so that a block of rows meets one contiguous band of positions. Memory use is linear in len.
     */
    void relativeAttention(float[] qkv, float[] out, int start, int len, int queries, int heads, int headDim,
            int head, PackedMatrix posKeys, PackedMatrix posQueries, int[] relIndex, int center, float scale);
}

package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/**
 * What a causal decoder needs beyond {@link Kernels}: BF16 weights kept in 16 bits and widened inside the matrix
 * multiply, the SwiGLU product and causal grouped-query attention against a growing key/value history.
 *
 * <p>Determinism: an output element's accumulation order depends only on its own inputs, never on the batch,
 * the tiling or the split across threads; in attention, a query row's keys are visited in fixed blocks from key
 * 0 and key j always sits in lane {@code j % L} of the score vector, so a row's result is the same whatever rows
 * share its call and whether its keys came from a cached prefix or were computed with it.
 */
public interface DecoderKernels {

    /** The decoder kernels matching a base kernel set: vectorised next to the vector kernels, else scalar. */
    static DecoderKernels forKernels(Kernels base) {
        return base instanceof VectorKernels ? new VectorDecoderKernels(base) : new ScalarDecoderKernels(base);
    }

    String name();

    /**
     * Packs weights of logical shape [out, in], the blocks stacked along out. BF16 tensors stay 16-bit where the
     * implementation can widen them in its multiply; other types are widened once to float panels.
     */
    PackedMatrix pack(Tensor... rowBlocks);

    /** {@code c[m, w.rows] = a[m, w.cols] · wᵀ}. */
    void matmul(float[] a, int m, PackedMatrix w, float[] c, ComputePool pool);

    /** SwiGLU: rows of {@code gateUp} are {@code [gate (n) | up (n)]}; {@code out[r] = silu(gate) * up}. */
    void siluMul(float[] gateUp, int m, int n, float[] out, ComputePool pool);

    /**
     * Causal grouped-query softmax attention of {@code rows} consecutive positions of one sequence,
     * {@code pos0 .. pos0 + rows - 1}, for the {@code group} query heads sharing one key-value head: query row i,
     * head h is {@code q[qOff + i * qStride + h * headDim ...]} and attends keys {@code [0, pos0 + i]}, its output
     * {@code out = Σ_j softmax_j(scale · q·k_j) v_j} going to {@code out[outOff + i * outStride + h * headDim ...]};
     * {@code k_j[d] = kT[kTOff + d * kStride + j]} (keys transposed, kStride a multiple of {@link #keyAlignment},
     * the padding readable) and {@code v_j[d] = v[vOff + j * headDim + d]}. Each row's bits depend only on its own
     * query and keys: not on the other rows of the call, nor on pos0, nor on where the arrays sit.
     */
    void attendCausal(float[] q, int qOff, int qStride, int rows, int group, int pos0, float[] kT, int kTOff,
            int kStride, float[] v, int vOff, int headDim, float scale, float[] out, int outOff, int outStride);

    /** Query rows per {@link #attendCausal} call that share its key and value reads; callers split work by it. */
    int attentionRows();

    /** Key positions {@link #attendCausal}'s transposed keys must be padded to a multiple of. */
    int keyAlignment();
}

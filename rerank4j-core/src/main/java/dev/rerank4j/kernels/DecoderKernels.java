package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/**
 * What a causal decoder needs beyond {@link Kernels}: BF16 weights kept in 16 bits and widened inside the matrix
 * multiply, the SwiGLU product and causal attention of one query row against a growing key/value history.
 *
 * <p>Determinism: an output element's accumulation order depends only on its own inputs, never on the batch,
 * the tiling or the split across threads; in attention, key j of a row always sits in lane {@code j % L} of the
 * score vector, so a row's result is the same whether its keys came from a cached prefix or were computed with it.
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
     * Softmax attention of one query against keys {@code [0, keys)}:
     * {@code out = Σ_j softmax_j(scale · q·k_j) v_j}, with {@code q = q[qOff, qOff + headDim)},
     * {@code k_j[d] = kT[kTOff + d * stride + j]} (keys transposed, stride at least keys rounded up to a whole
     * vector, the padding readable) and {@code v_j[d] = v[vOff + j * headDim + d]}.
     */
    void attendRow(float[] q, int qOff, float[] kT, int kTOff, int stride, float[] v, int vOff, int keys,
            int headDim, float scale, float[] out, int outOff);

    /** Key positions {@link #attendRow}'s transposed keys must be padded to a multiple of. */
    int keyAlignment();
}

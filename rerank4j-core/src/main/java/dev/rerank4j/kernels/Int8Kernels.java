package dev.rerank4j.kernels;

import dev.rerank4j.weights.Tensor;

/**
 * Matrix multiplies with 8-bit weights, computed as onnxruntime's dynamic quantization defines them: each group of
 * activation rows is quantized to uint8 with one scale and zero point ({@link QuantizedRows}), multiplied by the
 * int8/uint8 weights with exact int32 accumulation, and the sums rescaled in float:
 * {@code c = act(float(Σ (a - za)(w - zw)) * (sa * sw) + bias)}.
 *
 * <p>{@link ScalarInt8Kernels} is the reference. The integer sums are exact and the float epilogue is the same
 * code in every implementation, so all of them give the same bits; {@link Int8KernelsProvider} picks one.
 */
public interface Int8Kernels {

    String name();

    /** Packs quantized weights of logical shape [out, in] (see {@link Tensor#quantization()}), stacked along out. */
    QuantizedMatrix pack(Tensor... rowBlocks);

    /** As {@link #pack}, for a gated linear unit's [2n, in] weights (gate rows first): see {@link #matmulGated}. */
    QuantizedMatrix packGated(Tensor gateThenLinear);

    /**
     * {@code c[m, w.rows] = act(a · wᵀ + bias)}, with the rows of each of {@code groups} quantized together;
     * bias may be null.
     */
    void matmul(float[] a, RowGroups groups, QuantizedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool);

    /** The gated linear unit: with y as in {@link #matmul} (width 2n), {@code c[m, n] = act(y[:, :n]) * y[:, n:]}. */
    void matmulGated(float[] a, RowGroups groups, QuantizedMatrix w, float[] bias, Activation act, float[] c,
            ComputePool pool);
}

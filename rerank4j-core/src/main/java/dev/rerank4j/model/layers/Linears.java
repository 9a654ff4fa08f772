package dev.rerank4j.model.layers;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Int8Kernels;
import dev.rerank4j.kernels.Int8KernelsProvider;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.kernels.QuantizedMatrix;
import dev.rerank4j.kernels.RowGroups;
import dev.rerank4j.model.Batch;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;

/**
 * Linear layers whose weights may be float or 8-bit: quantized tensors (from a quantize_dynamic ONNX file, or
 * made at load by {@link WeightQuantizer} when int8 is asked for) go to the int8 kernels, the rest to the float
 * kernels. One instance per model load; {@link #matmul} dispatches on how a matrix was packed.
 */
public final class Linears {
    private final Kernels k;
    private final Path origin;
    private final boolean quantize;
    private Int8Kernels int8;

    /** @param quantize pack float weights as int8 too (symmetric, per output channel) */
    public Linears(Kernels k, Path origin, boolean quantize) {
        this.k = k;
        this.origin = origin;
        this.quantize = quantize;
    }

    public PackedMatrix pack(Tensor... rowBlocks) {
        return quantized(rowBlocks) ? int8().pack(int8Blocks(rowBlocks)) : k.pack(rowBlocks);
    }

    public PackedMatrix packGated(Tensor gateThenLinear) {
        return quantized(gateThenLinear) ? int8().packGated(int8Blocks(gateThenLinear)[0]) : k.packGated(gateThenLinear);
    }

    /** {@code c = act(a · wᵀ + bias)}; an int8 matrix quantizes the activations of each group of rows together. */
    public static void matmul(Kernels k, float[] a, RowGroups rows, PackedMatrix w, float[] bias, Activation act,
            float[] c, ComputePool pool) {
        if (w instanceof QuantizedMatrix q) {
            q.kernels().matmul(a, rows, q, bias, act, c, pool);
        } else {
            k.matmul(a, rows.rows(), w, bias, act, c, pool);
        }
    }

    public static void matmulGated(Kernels k, float[] a, RowGroups rows, PackedMatrix w, float[] bias,
            Activation act, float[] c, ComputePool pool) {
        if (w instanceof QuantizedMatrix q) {
            q.kernels().matmulGated(a, rows, q, bias, act, c, pool);
        } else {
            k.matmulGated(a, rows.rows(), w, bias, act, c, pool);
        }
    }

    /** A batch's token rows, one group per sequence: ONNX Runtime's per-tensor quantization of one sequence. */
    public static RowGroups sequences(Batch batch) {
        int[] starts = new int[batch.size() + 1];
        for (int s = 0; s < batch.size(); s++) {
            starts[s] = batch.start(s);
        }
        starts[batch.size()] = batch.totalTokens();
        return new RowGroups(starts);
    }

    private boolean quantized(Tensor... blocks) {
        int q = 0;
        for (Tensor t : blocks) {
            q += t.quantization() != null ? 1 : 0;
        }
        if (q != 0 && q != blocks.length) {
            throw new ModelFormatException(origin, "weights fused into one matrix mix quantized and float tensors: "
                    + java.util.Arrays.toString(blocks));
        }
        return q > 0 || quantize;
    }

    private Tensor[] int8Blocks(Tensor... blocks) {
        Tensor[] out = new Tensor[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            out[i] = blocks[i].quantization() != null ? blocks[i] : WeightQuantizer.perRowSymmetric(blocks[i]);
        }
        return out;
    }

    private Int8Kernels int8() {
        if (int8 == null) {
            int8 = Int8KernelsProvider.choose();
        }
        return int8;
    }
}

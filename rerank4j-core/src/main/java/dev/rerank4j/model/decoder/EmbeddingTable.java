package dev.rerank4j.model.decoder;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;

/**
 * The token embedding matrix, copied once out of the weight file: BF16 stays in 16 bits (the table is the
 * largest single tensor of a small decoder: 151,936 x 1,024 for Qwen3-0.6B), other types are widened to float.
 */
final class EmbeddingTable {
    private final int rows;
    private final int width;
    private final short[] bf16;
    private final float[] f32;

    EmbeddingTable(Tensor t) {
        this.rows = t.shape()[0];
        this.width = t.shape()[1];
        long n = t.elementCount();
        if (t.dtype() == DType.BF16) {
            bf16 = new short[Math.toIntExact(n)];
            for (int i = 0; i < bf16.length; i++) {
                bf16[i] = (short) (Float.floatToRawIntBits(t.get(i)) >>> 16);
            }
            f32 = null;
        } else {
            bf16 = null;
            f32 = t.toFloats();
        }
    }

    int rows() {
        return rows;
    }

    /** Row {@code id} as float into {@code dst[off, off + width)}. */
    void row(int id, float[] dst, int off) {
        int from = id * width;
        if (f32 != null) {
            System.arraycopy(f32, from, dst, off, width);
        } else {
            for (int c = 0; c < width; c++) {
                dst[off + c] = Float.intBitsToFloat(bf16[from + c] << 16);
            }
        }
    }
}

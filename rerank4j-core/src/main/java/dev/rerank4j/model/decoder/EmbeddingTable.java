package dev.rerank4j.model.decoder;

import dev.rerank4j.weights.Tensor;

/**
 * The token embedding matrix, kept in the bytes it was read into, in its stored type (BF16 for Qwen3: the table
 * is the largest single tensor of a small decoder, 151,936 x 1,024, 297 MiB, twice that widened to float); only
 * the rows looked up are widened.
 */
final class EmbeddingTable {
    private final int rows;
    private final int width;
    private final Tensor table;

    EmbeddingTable(Tensor t) {
        this.rows = t.shape()[0];
        this.width = t.shape()[1];
        this.table = t;
    }

    int rows() {
        return rows;
    }

    /** Row {@code id} as float into {@code dst[off, off + width)}. */
    void row(int id, float[] dst, int off) {
        long from = (long) id * width;
        for (int c = 0; c < width; c++) {
            dst[off + c] = table.get(from + c);
        }
    }
}

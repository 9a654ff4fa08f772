package dev.rerank4j.kernels;

/**
 * 8-bit weights of logical shape [rows = outputs, cols = inputs], packed for {@link Int8Kernels}: panels of
 * {@link #PANEL} output rows, each stored input by input ({@code data[(panel * cols + k) * PANEL + j]}), padded with
 * zeros. Values are signed bytes: uint8 weights are stored minus 128 with their zero points moved alike, which
 * leaves every difference {@code w - zw} unchanged.
 */
public final class QuantizedMatrix implements PackedMatrix {
    static final int PANEL = 16;

    final Int8Kernels owner;
    final int rows;
    final int cols;
    final boolean gated;
    final byte[] data;
    /**
     * Per output row: the (shifted) zero point, the scale, and the sum of the stored values over k; padded with
     * zeros to whole panels.
     */
    final int[] zeroPoints;
    final float[] scales;
    final int[] sums;

    QuantizedMatrix(Int8Kernels owner, int rows, int cols, boolean gated, byte[] data, int[] zeroPoints,
                    float[] scales, int[] sums) {
        this.owner = owner;
        this.rows = rows;
        this.cols = cols;
        this.gated = gated;
        this.data = data;
        this.zeroPoints = zeroPoints;
        this.scales = scales;
        this.sums = sums;
    }

    /** The int8 kernels that packed this matrix, the only ones that may read it. */
    public Int8Kernels kernels() {
        return owner;
    }

    int panels() {
        return Math.ceilDiv(rows, PANEL);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public String toString() {
        return "int8 [" + rows + ", " + cols + "]" + (gated ? " gated" : "") + " (" + owner.name() + ")";
    }
}

package dev.rerank4j.weights;

import java.util.Arrays;

/**
 * How an 8-bit tensor maps to real values: {@code real = (q - zeroPoint) * scale}, as ONNX's DequantizeLinear
 * defines it. One (scale, zero point) for the whole tensor, or one per logical row (per output channel of a Linear
 * weight, logical shape [out, in]).
 */
public record Quantization(float[] scales, int[] zeroPoints) {
    public Quantization {
        if (scales.length == 0 || scales.length != zeroPoints.length) {
            throw new IllegalArgumentException("need as many zero points as scales (at least one), got "
                    + scales.length + " and " + zeroPoints.length);
        }
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
    }

    public static Quantization perTensor(float scale, int zeroPoint) {
        return new Quantization(new float[] {scale}, new int[] {zeroPoint});
    }

    public boolean perRow() {
        return scales.length > 1;
    }

    public float scale(int row) {
        return scales[scales.length == 1 ? 0 : row];
    }

    public int zeroPoint(int row) {
        return zeroPoints[zeroPoints.length == 1 ? 0 : row];
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public int[] zeroPoints() {
        return zeroPoints.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints);
    }

    @Override
    public String toString() {
        return (perRow() ? scales.length + " per-row scales" : "scale " + scales[0] + ", zero point " + zeroPoints[0]);
    }
}

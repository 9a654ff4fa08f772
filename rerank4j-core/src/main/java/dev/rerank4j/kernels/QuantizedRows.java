package dev.rerank4j.kernels;

/**
 * Activations quantized as ONNX's DynamicQuantizeLinear does, one group of rows at a time: over the group,
 * {@code min = min(0, min x)}, {@code max = max(0, max x)}, {@code scale = (max - min) / 255} in float (1 when the
 * range is empty), {@code zp = roundHalfEven(clamp(-min / scale, 0, 255))}, and
 * {@code q = clamp(roundHalfEven(x / scale) + zp, 0, 255)}. Min, max and the per-element rounding do not depend on
 * the order they are taken in, so the result is a pure function of the group.
 *
 * <p>The uint8 values are kept as floats (0 to 255, exact), the form the vector kernels multiply them in. Per row
 * it keeps the group's scale and zero point and the row's sum of q, which the integer multiply's zero-point
 * correction needs. One instance per calling thread, grown and reused.
 */
final class QuantizedRows {
    /**
     * Adding then subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer, half to even (the
     * default rounding of the addition), as {@code Math.rint} does; {@code x / scale} stays within ±256.
     */
    private static final float ROUNDER = 12582912f;

    float[] q = new float[0];
    float[] scale = new float[0];
    int[] zeroPoint = new int[0];
    int[] sum = new int[0];

    void quantize(float[] a, RowGroups groups, int k, ComputePool pool) {
        int m = groups.rows();
        if (q.length < m * k) {
            q = new float[m * k];
        }
        if (scale.length < m) {
            scale = new float[m];
            zeroPoint = new int[m];
            sum = new int[m];
        }
        pool.forRange(groups.count(), 1, (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                group(a, groups.start(g) * k, groups.end(g) * k, groups.start(g), k);
            }
        });
    }

    private void group(float[] a, int from, int to, int firstRow, int k) {
        float min = 0f;
        float max = 0f;
        for (int i = from; i < to; i++) {
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        float s = max == min ? 1f : (max - min) / 255f;
        int zp = (int) Math.rint(Math.max(0f, Math.min(255f, 0f - min / s)));
        float z = zp;
        for (int row = firstRow, o = from; o < to; row++, o += k) {
            int total = 0;
            for (int i = o; i < o + k; i++) {
                float v = Math.max(0f, Math.min(255f, (a[i] / s + ROUNDER) - ROUNDER + z));
                q[i] = v;
                total += (int) v;
            }
            scale[row] = s;
            zeroPoint[row] = zp;
            sum[row] = total;
        }
    }
}

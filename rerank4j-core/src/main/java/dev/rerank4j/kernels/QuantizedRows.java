package dev.rerank4j.kernels;

/**
 * Activations quantized as ONNX's DynamicQuantizeLinear does, one group of rows at a time: over the group,
 * {@code min = min(0, min x)}, {@code max = max(0, max x)}, {@code scale = (max - min) / 255} in float (1 when the
 * range is empty), {@code zp = roundHalfEven(clamp(-min / scale, 0, 255))}, and
 * {@code q = clamp(roundHalfEven(x / scale) + zp, 0, 255)}. Min, max and the per-element rounding do not depend on
 * the order they are taken in, so the result is a pure function of the group.
 *
 * <p>Per row it keeps the group's scale and zero point and the row's sum of q, which the integer multiply's
 * zero-point correction needs. One instance per calling thread, grown and reused.
 */
final class QuantizedRows {
    byte[] q = new byte[0];
    float[] scale = new float[0];
    int[] zeroPoint = new int[0];
    int[] sum = new int[0];

    void quantize(float[] a, RowGroups groups, int k, ComputePool pool) {
        int m = groups.rows();
        if (q.length < m * k) {
            q = new byte[m * k];
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
        for (int row = firstRow, o = from; o < to; row++, o += k) {
            int total = 0;
            for (int i = o; i < o + k; i++) {
                int v = (int) Math.rint(a[i] / s) + zp;
                v = Math.max(0, Math.min(255, v));
                q[i] = (byte) v;
                total += v;
            }
            scale[row] = s;
            zeroPoint[row] = zp;
            sum[row] = total;
        }
    }
}

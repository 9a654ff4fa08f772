package dev.rerank4j.model.layers;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Quantization;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;

/**
 * int8 weights for {@code --quantize int8}: per output row (channel), symmetric, {@code scale = max|w| / 127},
 * {@code q = clamp(roundHalfEven(w / scale), -127, 127)}, zero point 0, as onnxruntime's quantize_dynamic does
 * with {@code per_channel=True} and int8 weights.
 */
public final class WeightQuantizer {
    private WeightQuantizer() {
    }

    public static Tensor perRowSymmetric(Tensor w) {
        int rows = w.shape()[0];
        int cols = w.shape()[1];
        byte[] q = new byte[Math.multiplyExact(rows, cols)];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0f;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(w.get(r, c)));
            }
            float s = max == 0f ? 1f : max / 127f;
            scales[r] = s;
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, (int) Math.rint(w.get(r, c) / s)));
            }
        }
        return Tensor.quantized(w.name(), DType.I8, new int[] {rows, cols}, ByteBuffer.wrap(q),
                new Quantization(scales, new int[rows]));
    }
}

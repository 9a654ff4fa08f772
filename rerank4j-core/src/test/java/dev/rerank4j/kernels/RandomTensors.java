package dev.rerank4j.kernels;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Seeded random inputs for comparing kernel implementations. */
final class RandomTensors {
    private final Random random;

    RandomTensors(long seed) {
        random = new Random(seed);
    }

    /** Uniform in [-1, 1). */
    float[] floats(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = random.nextFloat() * 2 - 1;
        }
        return f;
    }

    Tensor matrix(String name, int rows, int cols) {
        return tensor(name, floats(rows * cols), rows, cols);
    }

    static Tensor tensor(String name, float[] values, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Tensor.of(name, DType.F32, new int[] {rows, cols}, b);
    }
}

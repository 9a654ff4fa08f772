package dev.rerank4j.model.layers;

/** Bias vectors of weight blocks that {@code Kernels.pack(Tensor...)} stacks into one matrix (fused Q, K, V). */
public final class Biases {
    private Biases() {
    }

    /** The parts one after the other, in the order their weight blocks were stacked. */
    public static float[] stacked(float[]... parts) {
        int n = 0;
        for (float[] x : parts) {
            n += x.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] x : parts) {
            System.arraycopy(x, 0, out, o, x.length);
            o += x.length;
        }
        return out;
    }
}

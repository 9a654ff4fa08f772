package dev.rerank4j.model.modernbert;

/**
 * Rotary position embeddings in the NeoX layout ModernBERT uses: dimension t of a head is rotated with dimension
 * {@code t + headDim/2} by the angle {@code position · invFreq[t]}. Frequencies, angles, cosines and sines are
 * float32 values computed as the reference computes them (in float32 even in its fp64 run), with StrictMath so
 * they are the same on every JVM; the tables cover every position the model accepts.
 */
final class Rotary {
    private final int half;
    private final int positions;
    private final float[] invFreq;
    private final float[] cos;
    private final float[] sin;

    Rotary(double theta, int headDim, int positions) {
        this.half = headDim / 2;
        this.positions = positions;
        this.invFreq = new float[half];
        for (int t = 0; t < half; t++) {
            // 1 / theta^(2t / headDim), the exponent a float32 quotient as in torch.arange(0, d, 2).float() / d
            invFreq[t] = 1f / (float) StrictMath.pow(theta, (float) (2 * t) / headDim);
        }
        this.cos = new float[Math.multiplyExact(positions, half)];
        this.sin = new float[cos.length];
        for (int p = 0; p < positions; p++) {
            for (int t = 0; t < half; t++) {
                float angle = p * invFreq[t];
                cos[p * half + t] = (float) StrictMath.cos(angle);
                sin[p * half + t] = (float) StrictMath.sin(angle);
            }
        }
    }

    float[] invFreq() {
        return invFreq.clone();
    }

    int positions() {
        return positions;
    }

    /**
     * Rotates {@code len} vectors of {@code 2 · half} floats in place, {@code stride} apart from {@code off}, the
     * first at position 0: {@code x' = x·cos + rotate_half(x)·sin}, rotate_half(x) = (-x[half:], x[:half]).
     */
    void rotate(float[] x, int off, int stride, int len) {
        for (int p = 0; p < len; p++) {
            int row = off + p * stride;
            int tab = p * half;
            for (int t = 0; t < half; t++) {
                float a = x[row + t];
                float b = x[row + half + t];
                float c = cos[tab + t];
                float s = sin[tab + t];
                x[row + t] = a * c + -b * s;
                x[row + half + t] = b * c + a * s;
            }
        }
    }
}

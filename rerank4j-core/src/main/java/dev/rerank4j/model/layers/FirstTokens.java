package dev.rerank4j.model.layers;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.model.Batch;

/**
 * The first token of every sequence of a {@link Batch}: the row a CLS head reads. Gathering these rows lets a
 * cross-encoder's last layer and head run on one row per sequence.
 */
public final class FirstTokens {
    private FirstTokens() {
    }

    /** Row {@code batch.start(s)} of {@code rows} (width floats each) as row s of a [batch.size(), width] matrix. */
    public static float[] gather(float[] rows, Batch batch, int width) {
        float[] out = new float[batch.size() * width];
        for (int s = 0; s < batch.size(); s++) {
            System.arraycopy(rows, batch.start(s) * width, out, s * width, width);
        }
        return out;
    }

    /**
     * The fused {@code [q | k | v]} projection (weights [3 · hidden, hidden]) of a layer whose output is read at the
     * first tokens only: keys and values of every row of x, queries of the first tokens (in their rows of qkv;
     * the other rows' queries are left stale). Returns the first tokens' rows of x, [batch.size(), hidden].
     */
    public static float[] projectQkv(Kernels k, float[] x, Batch batch, int hidden, PackedMatrix qkvWeights,
            float[] bias, float[] qkv, ComputePool pool) {
        int n = batch.size();
        int stride = 3 * hidden;
        k.matmul(x, batch.totalTokens(), qkvWeights, hidden, stride, bias, Activation.IDENTITY, qkv, stride, pool);
        float[] first = gather(x, batch, hidden);
        float[] queries = new float[n * hidden];
        k.matmul(first, n, qkvWeights, 0, hidden, bias, Activation.IDENTITY, queries, hidden, pool);
        for (int s = 0; s < n; s++) {
            System.arraycopy(queries, s * hidden, qkv, batch.start(s) * stride, hidden);
        }
        return first;
    }
}

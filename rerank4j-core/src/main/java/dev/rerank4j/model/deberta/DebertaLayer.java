package dev.rerank4j.model.deberta;

import dev.rerank4j.kernels.PackedMatrix;

/**
 * One post-LN DeBERTa layer. Q, K and V are fused into one [3H, H] matrix. {@code posKeys[h]} and
 * {@code posQueries[h]} are head h's key and query projections of the layer-normed relative table
 * ([2 · span, headDim]): they depend on the weights only, so they are computed once at load.
 */
record DebertaLayer(
        PackedMatrix qkv, float[] qkvBias,
        PackedMatrix[] posKeys, PackedMatrix[] posQueries,
        PackedMatrix attnOut, float[] attnOutBias,
        float[] attnLnGamma, float[] attnLnBeta,
        PackedMatrix ffnIn, float[] ffnInBias,
        PackedMatrix ffnOut, float[] ffnOutBias,
        float[] ffnLnGamma, float[] ffnLnBeta) {
}

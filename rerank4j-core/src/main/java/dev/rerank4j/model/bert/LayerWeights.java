package dev.rerank4j.model.bert;

import dev.rerank4j.kernels.PackedMatrix;

/**
 * One post-LN encoder layer. Q, K and V are fused into one [3H, H] matrix so each layer starts with a single
 * matrix multiply. {@code ffnIn} is [I, H] for BERT's MLP and [2I, H] for gated variants (gate half first).
 */
record LayerWeights(
        PackedMatrix qkv, float[] qkvBias,
        PackedMatrix attnOut, float[] attnOutBias,
        float[] attnLnGamma, float[] attnLnBeta,
        PackedMatrix ffnIn, float[] ffnInBias,
        PackedMatrix ffnOut, float[] ffnOutBias,
        float[] ffnLnGamma, float[] ffnLnBeta) {
}

package dev.rerank4j.model.modernbert;

import dev.rerank4j.kernels.PackedMatrix;

/**
 * One ModernBERT layer in the kernels' layout. Biases are null when the config turns them off; a norm without
 * bias has a zero beta.
 *
 * @param attnNormGamma null for layer 0, whose attention norm is the identity (the embedding norm precedes it)
 */
record LayerWeights(
        float[] attnNormGamma, float[] attnNormBeta,
        PackedMatrix wqkv, float[] wqkvBias,
        PackedMatrix wo, float[] woBias,
        float[] mlpNormGamma, float[] mlpNormBeta,
        PackedMatrix wi, float[] wiBias,
        PackedMatrix mlpOut, float[] mlpOutBias) {
}

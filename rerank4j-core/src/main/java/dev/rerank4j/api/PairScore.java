package dev.rerank4j.api;

/**
 * The model's verdict on one pair.
 *
 * @param logit the raw output (for bi-encoders, the cosine similarity)
 * @param score the relevance score users see: sigmoid(logit) for cross-encoders, the cosine for bi-encoders
 * @param tokens tokens the model read for this pair (all windows, when chunked)
 */
public record PairScore(float logit, double score, int tokens) {
}

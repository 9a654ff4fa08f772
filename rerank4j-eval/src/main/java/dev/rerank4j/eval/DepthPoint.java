package dev.rerank4j.eval;

/** NDCG@10 when the reranker sees only the first stage's top {@code depth} (depth 0: no reranking). */
public record DepthPoint(int depth, double ndcg10) {
}

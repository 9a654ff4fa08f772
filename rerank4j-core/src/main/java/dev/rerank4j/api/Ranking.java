package dev.rerank4j.api;

import java.util.List;

/**
 * Documents best first.
 *
 * @param model the model that ranked them
 * @param totalTokens tokens read for all pairs, as billed by reranking APIs
 */
public record Ranking(String model, List<RankedDocument> results, int totalTokens) {
}

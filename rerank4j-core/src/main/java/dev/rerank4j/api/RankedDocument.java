package dev.rerank4j.api;

/**
 * One document of a ranking.
 *
 * @param index position of the document in the caller's list
 * @param document the text, when asked for; otherwise null
 */
public record RankedDocument(int index, double score, float logit, String document) {
}

package dev.rerank4j.eval;

/**
 * Wall-clock cost of an evaluation.
 *
 * @param firstStageSeconds indexing (or embedding the corpus) plus retrieval
 * @param rerankSeconds scoring the candidates, 0 without a model
 * @param pairs (query, document) pairs reranked
 * @param tokens tokens the reranker read (0 when it does not count them)
 */
public record Timings(double firstStageSeconds, double rerankSeconds, long pairs, long tokens, double totalSeconds) {

    public double pairsPerSecond() {
        return rerankSeconds == 0 ? 0 : pairs / rerankSeconds;
    }
}

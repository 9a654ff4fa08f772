package dev.rerank4j.eval;

import java.util.List;

/** Scores a query's candidates for reranking; higher is more relevant. */
public interface PairScorer extends AutoCloseable {

    /** @param tokens tokens the model read (0 when the scorer does not count them) */
    record Scores(double[] values, long tokens) {
    }

    String modelId();

    Scores score(String query, List<String> documents);

    @Override
    void close();
}

package dev.rerank4j.eval;

import java.util.List;

/**
 * NDCG@10 of a first stage and of each reranker on every dataset of a suite, in the card's form.
 *
 * @param models the rerankers' ids, the table's columns after the first stage; empty for the first stage alone
 */
public record SuiteResult(String firstStageName, List<String> models, List<Row> rows) {

    public SuiteResult {
        models = List.copyOf(models);
        rows = List.copyOf(rows);
    }

    /**
     * One dataset.
     *
     * @param reranked NDCG@10 after each reranker, in {@link #models()} order
     * @param resumed  whether it was read from an earlier, interrupted run instead of measured now
     */
    public record Row(String dataset, int queries, double firstStage, List<Double> reranked, boolean resumed) {
        public Row {
            reranked = List.copyOf(reranked);
        }
    }

    /** The mean of the rows' first-stage NDCG@10. */
    public double meanFirstStage() {
        return rows.stream().mapToDouble(Row::firstStage).average().orElse(Double.NaN);
    }

    /** The mean of the rows' NDCG@10 after the {@code model}-th reranker. */
    public double meanReranked(int model) {
        return rows.stream().mapToDouble(r -> r.reranked().get(model)).average().orElse(Double.NaN);
    }
}

package dev.rerank4j.eval;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation measured. Metric maps go from measure name (e.g. {@code ndcg@10}) to its mean; per-query
 * maps from query id to such a map.
 *
 * @param modelId the reranker, or null when the first stage was evaluated alone
 * @param reranked means after reranking, or null without a model
 * @param finalRun the reranked run, or the first stage's without a model
 */
public record EvalResult(EvalSettings settings, String firstStageName, String modelId, int queries,
        Map<String, Double> firstStage, Map<String, Double> reranked,
        Map<String, Map<String, Double>> perQueryFirstStage, Map<String, Map<String, Double>> perQueryReranked,
        List<DepthPoint> depthCurve, Timings timings, Run finalRun) {

    /** The measures of the final ranking: reranked if there was a model, else the first stage's. */
    public Map<String, Double> finalMetrics() {
        return reranked != null ? reranked : firstStage;
    }
}

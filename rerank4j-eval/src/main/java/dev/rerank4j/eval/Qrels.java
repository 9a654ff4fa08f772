package dev.rerank4j.eval;

import java.util.Map;

/**
 * Relevance judgements: query id to (document id to grade). A grade of 0 or less marks a judged but
 * non-relevant document, as in trec_eval.
 */
public record Qrels(Map<String, Map<String, Integer>> byQuery) {
    public Qrels {
        byQuery = Map.copyOf(byQuery);
    }

    public Map<String, Integer> of(String queryId) {
        return byQuery.getOrDefault(queryId, Map.of());
    }

    /** Whether the query has at least one document graded above 0; queries without one are not evaluated. */
    public boolean hasRelevant(String queryId) {
        return of(queryId).values().stream().anyMatch(g -> g > 0);
    }
}

package dev.rerank4j.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * trec_eval-style evaluation of a run against qrels. Queries without a relevant judgement are skipped (as BEIR's
 * pytrec_eval evaluation does); a judged query missing from the run counts as retrieving nothing (trec_eval -c).
 */
public record Evaluator(List<Metric> metrics) {
    public Evaluator {
        metrics = List.copyOf(metrics);
    }

    /** The measures BEIR reports plus hit rate, for a run retrieved to the given depth. */
    public static Evaluator standard(int depth) {
        return new Evaluator(java.util.stream.Stream.of(Metric.ndcg(10), Metric.mrr(10), Metric.map(),
                Metric.recall(10), Metric.recall(depth), Metric.hitRate(1), Metric.hitRate(10)).distinct().toList());
    }

    /** Measures per evaluated query: query id to (measure name to value). */
    public Map<String, Map<String, Double>> perQuery(Run run, Qrels qrels) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String q : qrels.byQuery().keySet().stream().sorted().toList()) {
            if (!qrels.hasRelevant(q)) {
                continue;
            }
            List<String> ranked = run.of(q).stream().map(Hit::docId).toList();
            Map<String, Double> m = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                m.put(metric.name(), metric.compute(ranked, qrels.of(q)));
            }
            out.put(q, m);
        }
        return out;
    }

    /** The mean of each measure over the evaluated queries. */
    public Map<String, Double> mean(Map<String, Map<String, Double>> perQuery) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            out.put(metric.name(), perQuery.values().stream().mapToDouble(m -> m.get(metric.name()))
                    .average().orElse(0));
        }
        return out;
    }
}

package dev.rerank4j.eval;

import java.util.List;
import java.util.Map;

/**
 * One trec_eval measure at a cutoff. Relevant means graded above 0; gains are the grades themselves
 * (trec_eval's ndcg_cut, not 2^grade - 1), discounted by log2(rank + 1).
 *
 * @param k cutoff in ranks; 0 for measures over the whole ranking (MAP)
 */
public record Metric(Kind kind, int k) {

    public enum Kind {
        NDCG("ndcg"), MRR("mrr"), RECALL("recall"), MAP("map"), HIT_RATE("hit_rate");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public static Metric ndcg(int k) {
        return new Metric(Kind.NDCG, k);
    }

    public static Metric mrr(int k) {
        return new Metric(Kind.MRR, k);
    }

    public static Metric recall(int k) {
        return new Metric(Kind.RECALL, k);
    }

    public static Metric hitRate(int k) {
        return new Metric(Kind.HIT_RATE, k);
    }

    public static Metric map() {
        return new Metric(Kind.MAP, 0);
    }

    /** The name reports and the JSON line use, e.g. {@code ndcg@10}, {@code map}. */
    public String name() {
        return k == 0 ? kind.label : kind.label + "@" + k;
    }

    /**
     * The measure for one query.
     *
     * @param ranked document ids best first (already in trec_eval order)
     * @param judged the query's judgements; must hold at least one relevant document
     */
    public double compute(List<String> ranked, Map<String, Integer> judged) {
        int depth = k == 0 ? ranked.size() : Math.min(k, ranked.size());
        long relevantTotal = judged.values().stream().filter(g -> g > 0).count();
        return switch (kind) {
            case NDCG -> dcg(ranked, judged, depth) / idealDcg(judged);
            case MRR -> reciprocalRank(ranked, judged, depth);
            case RECALL -> relevantIn(ranked, judged, depth) / (double) relevantTotal;
            case HIT_RATE -> relevantIn(ranked, judged, depth) > 0 ? 1 : 0;
            case MAP -> averagePrecision(ranked, judged, depth, relevantTotal);
        };
    }

    private static int grade(Map<String, Integer> judged, String docId) {
        return Math.max(0, judged.getOrDefault(docId, 0));
    }

    private static double dcg(List<String> ranked, Map<String, Integer> judged, int depth) {
        double sum = 0;
        for (int i = 0; i < depth; i++) {
            sum += grade(judged, ranked.get(i)) / log2(i + 2);
        }
        return sum;
    }

    /** The ideal ranking is built from all of the query's judgements, not only the retrieved ones. */
    private double idealDcg(Map<String, Integer> judged) {
        int[] grades = judged.values().stream().filter(g -> g > 0).mapToInt(Integer::intValue)
                .sorted().toArray();
        double sum = 0;
        for (int i = 0; i < Math.min(k, grades.length); i++) {
            sum += grades[grades.length - 1 - i] / log2(i + 2);
        }
        return sum;
    }

    private static double reciprocalRank(List<String> ranked, Map<String, Integer> judged, int depth) {
        for (int i = 0; i < depth; i++) {
            if (grade(judged, ranked.get(i)) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static int relevantIn(List<String> ranked, Map<String, Integer> judged, int depth) {
        int n = 0;
        for (int i = 0; i < depth; i++) {
            if (grade(judged, ranked.get(i)) > 0) {
                n++;
            }
        }
        return n;
    }

    private static double averagePrecision(List<String> ranked, Map<String, Integer> judged, int depth,
            long relevantTotal) {
        double sum = 0;
        int found = 0;
        for (int i = 0; i < depth; i++) {
            if (grade(judged, ranked.get(i)) > 0) {
                found++;
                sum += found / (double) (i + 1);
            }
        }
        return sum / relevantTotal;
    }

    private static double log2(double x) {
        return StrictMath.log(x) / StrictMath.log(2);
    }
}

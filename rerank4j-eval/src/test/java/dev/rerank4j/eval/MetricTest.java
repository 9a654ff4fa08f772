package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Measures against values worked out by hand from the trec_eval definitions. */
class MetricTest {
    // Grades: d1 highly relevant, d2 and d4 relevant, d3 judged non-relevant; d5 unjudged.
    private static final Map<String, Integer> JUDGED = Map.of("d1", 2, "d2", 1, "d3", 0, "d4", 1);
    private static final List<String> RANKED = List.of("d3", "d1", "d5", "d2");

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void ndcgUsesGradesAsGainsAndTheIdealOfAllJudgements() {
        // DCG: d1 (gain 2) at rank 2, d2 (gain 1) at rank 4. Ideal: 2, 1, 1 (d4 counts though never retrieved).
        double dcg = 2 / log2(3) + 1 / log2(5);
        double ideal = 2 + 1 / log2(3) + 1 / log2(4);
        assertThat(Metric.ndcg(10).compute(RANKED, JUDGED)).isCloseTo(dcg / ideal, within(1e-12));
        assertThat(Metric.ndcg(10).compute(RANKED, JUDGED)).isCloseTo(0.540586, within(1e-6));
        // At 2 only d1 counts, and the ideal is cut at 2 too.
        assertThat(Metric.ndcg(2).compute(RANKED, JUDGED)).isCloseTo((2 / log2(3)) / (2 + 1 / log2(3)),
                within(1e-12));
    }

    @Test
    void reciprocalRankOfTheFirstRelevantWithinTheCutoff() {
        assertThat(Metric.mrr(10).compute(RANKED, JUDGED)).isEqualTo(0.5);
        assertThat(Metric.mrr(1).compute(RANKED, JUDGED)).isZero();
    }

    @Test
    void recallCountsRelevantRetrievedOverAllRelevant() {
        assertThat(Metric.recall(2).compute(RANKED, JUDGED)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(Metric.recall(10).compute(RANKED, JUDGED)).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void averagePrecisionDividesByAllRelevantIncludingUnretrieved() {
        // Precision 1/2 at rank 2 and 2/4 at rank 4, over 3 relevant documents.
        assertThat(Metric.map().compute(RANKED, JUDGED)).isCloseTo((0.5 + 0.5) / 3, within(1e-12));
    }

    @Test
    void hitRateIsWhetherAnyRelevantDocumentIsInTheTopK() {
        assertThat(Metric.hitRate(1).compute(RANKED, JUDGED)).isZero();
        assertThat(Metric.hitRate(2).compute(RANKED, JUDGED)).isEqualTo(1.0);
    }

    @Test
    void perfectRankingScoresOne() {
        List<String> ideal = List.of("d1", "d4", "d2", "d3");
        assertThat(Metric.ndcg(10).compute(ideal, JUDGED)).isCloseTo(1.0, within(1e-12));
        assertThat(Metric.map().compute(ideal, JUDGED)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void namesFollowTheCutoff() {
        assertThat(Metric.ndcg(10).name()).isEqualTo("ndcg@10");
        assertThat(Metric.map().name()).isEqualTo("map");
        assertThat(Metric.hitRate(5).name()).isEqualTo("hit_rate@5");
    }

    @Test
    void tiedScoresAreOrderedByDocumentIdDescendingAsTrecEvalDoes() {
        Run run = new Run(Map.of("q", List.of(new Hit("10", 1.0), new Hit("9", 1.0), new Hit("a", 2.0))));
        // "a" has the higher score; "9" sorts after "10" byte-wise, so descending order puts it first.
        assertThat(run.of("q")).extracting(Hit::docId).containsExactly("a", "9", "10");
        Qrels qrels = new Qrels(Map.of("q", Map.of("10", 1)));
        Map<String, Double> m = Evaluator.standard(10).perQuery(run, qrels).get("q");
        assertThat(m.get("mrr@10")).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void queriesWithoutRelevantJudgementsAreSkippedAndMissingRunsScoreZero() {
        Qrels qrels = new Qrels(Map.of("judged", Map.of("d1", 1), "only-nonrelevant", Map.of("d1", 0),
                "not-retrieved", Map.of("d2", 1)));
        Run run = new Run(Map.of("judged", List.of(new Hit("d1", 3.0)), "only-nonrelevant",
                List.of(new Hit("d1", 3.0))));
        Evaluator evaluator = Evaluator.standard(100);
        Map<String, Map<String, Double>> per = evaluator.perQuery(run, qrels);
        assertThat(per).containsOnlyKeys("judged", "not-retrieved");
        assertThat(per.get("judged").get("ndcg@10")).isEqualTo(1.0);
        assertThat(per.get("not-retrieved").get("ndcg@10")).isZero();
        assertThat(evaluator.mean(per).get("ndcg@10")).isEqualTo(0.5);
        assertThat(evaluator.mean(per)).containsOnlyKeys("ndcg@10", "mrr@10", "map", "recall@10", "recall@100",
                "hit_rate@1", "hit_rate@10");
    }
}

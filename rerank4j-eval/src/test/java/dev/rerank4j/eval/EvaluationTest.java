package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.RerankException;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a three-document dataset: real Lucene index, real (random-weight) JinaBERT reranker. */
class EvaluationTest {
    @TempDir
    Path dir;

    private EvalSettings settings() throws IOException {
        TinyBeir.write(dir);
        return EvalSettings.defaults(dir).withTopK(3);
    }

    private static Map<String, String> texts() {
        return Map.of("d1", "Cats The cat sat on the mat.", "d2", "Dogs A dog barked at the cat.",
                "d3", "Birds sing in the morning.");
    }

    @Test
    void firstStageAloneIsMeasuredOverJudgedQueries() throws IOException {
        EvalResult r = Evaluation.run(settings(), Progress.QUIET);
        assertThat(r.modelId()).isNull();
        assertThat(r.reranked()).isNull();
        assertThat(r.queries()).isEqualTo(3); // q4 has only a non-relevant judgement
        // BM25: q1 "cats" -> d1 (rel), d2; q2 -> d3 (rel); q3 "dog" -> d2 only, d1 (rel) never retrieved.
        assertThat(r.finalRun().of("q1")).extracting(Hit::docId).containsExactly("d1", "d2");
        assertThat(r.perQueryFirstStage().get("q3").get("recall@3")).isEqualTo(0.5);
        assertThat(r.finalMetrics().get("mrr@10")).isCloseTo(1.0, within(1e-12));
        assertThat(r.depthCurve()).containsExactly(new DepthPoint(0, r.firstStage().get("ndcg@10")));
    }

    @Test
    void rerankedRunHoldsTheModelsLogitsForTheFirstStageCandidates() throws IOException {
        EvalResult r = Evaluation.run(settings().withModel(TinyBeir.JINABERT_MINI), Progress.QUIET);
        assertThat(r.modelId()).isEqualTo("jinabert-mini");
        assertThat(r.timings().pairs()).isEqualTo(4); // 2 + 1 + 1 candidates
        assertThat(r.timings().tokens()).isPositive();
        Map<String, String> queries = Map.of("q1", "cats", "q2", "morning birds", "q3", "dog");
        try (Reranker reranker = Reranker.load(TinyBeir.JINABERT_MINI, EngineOptions.defaults().withThreads(1))) {
            for (String q : queries.keySet()) {
                List<Hit> hits = r.finalRun().of(q);
                List<PairScore> direct = reranker.score(hits.stream()
                        .map(h -> new TextPair(queries.get(q), texts().get(h.docId()))).toList());
                for (int i = 0; i < hits.size(); i++) {
                    assertThat(hits.get(i).score()).isEqualTo(direct.get(i).logit());
                }
            }
        }
        assertThat(r.finalRun().of("q1")).extracting(Hit::docId).containsExactlyInAnyOrder("d1", "d2");
        assertThat(r.depthCurve()).extracting(DepthPoint::depth).containsExactly(0, 3);
        assertThat(r.depthCurve().get(0).ndcg10()).isEqualTo(r.firstStage().get("ndcg@10"));
        assertThat(r.depthCurve().get(1).ndcg10()).isEqualTo(r.reranked().get("ndcg@10"));
    }

    @Test
    void chunkedLongDocumentsScoreAsTheApiDoes() throws IOException {
        EvalSettings s = settings().withModel(TinyBeir.JINABERT_MINI).withLongDocuments(LongDocuments.CHUNK, 12, 2);
        EvalResult r = Evaluation.run(s, Progress.QUIET);
        ScoreOptions chunk = new ScoreOptions(12, LongDocuments.CHUNK, 32, 2);
        try (Reranker reranker = Reranker.load(TinyBeir.JINABERT_MINI, EngineOptions.defaults().withThreads(1))) {
            Hit best = r.finalRun().of("q1").get(0);
            float direct = reranker.score(List.of(new TextPair("cats", texts().get(best.docId()))), chunk).get(0).logit();
            assertThat(best.score()).isEqualTo(direct);
        }
        assertThat(r.settings().longDocuments()).isEqualTo(LongDocuments.CHUNK);
    }

    @Test
    void depthCurveReranksOnlyTheTopD() {
        Run first = new Run(Map.of("q", List.of(new Hit("a", 3), new Hit("b", 2), new Hit("c", 1))));
        Map<String, Map<String, Double>> scores = Map.of("q", Map.of("a", 0.1, "b", 0.2, "c", 0.9));
        assertThat(Evaluation.rerank(first, scores, 2).of("q")).extracting(Hit::docId).containsExactly("b", "a");
        Qrels qrels = new Qrels(Map.of("q", Map.of("c", 1)));
        List<DepthPoint> curve = Evaluation.depthCurve(first, scores, qrels, 3);
        // c is relevant at first-stage rank 3: reranking the top 3 lifts it to rank 1.
        assertThat(curve).containsExactly(new DepthPoint(0, 0.5), new DepthPoint(3, 1.0));
    }

    @Test
    void runFileFirstStageIsCutAtTopK() throws IOException {
        Path runFile = dir.resolve("first.trec");
        EvalSettings s = settings();
        Files.writeString(runFile, "q1 Q0 d2 1 9 x\nq1 Q0 d1 2 8 x\nq1 Q0 d3 3 7 x\nq2 Q0 d3 1 1 x\n");
        EvalResult r = Evaluation.run(s.withFirstStage(new FirstStageSpec.RunFile(runFile)).withTopK(2),
                Progress.QUIET);
        assertThat(r.firstStageName()).isEqualTo("run(first.trec)");
        assertThat(r.finalRun().of("q1")).extracting(Hit::docId).containsExactly("d2", "d1");
        assertThat(r.perQueryFirstStage().get("q1").get("mrr@10")).isEqualTo(0.5);
        assertThat(r.perQueryFirstStage().get("q3").get("ndcg@10")).isZero(); // absent from the run
    }

    @Test
    void candidatesMissingFromTheCorpusAndUnknownQueriesAreReported() throws IOException {
        Path runFile = dir.resolve("first.trec");
        EvalSettings s = settings().withModel(TinyBeir.JINABERT_MINI);
        Files.writeString(runFile, "q1 Q0 nope 1 9 x\n");
        assertThatThrownBy(() -> Evaluation.run(s.withFirstStage(new FirstStageSpec.RunFile(runFile)),
                Progress.QUIET)).isInstanceOf(RerankException.class)
                .hasMessage("first stage returned document 'nope', which is not in " + dir.resolve("corpus.jsonl"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "q9\td1\t1\n");
        assertThatThrownBy(() -> Evaluation.run(s, Progress.QUIET))
                .hasMessage(dir.resolve("qrels/test.tsv") + ": query 'q9' is not in " + dir.resolve("queries.jsonl"));
    }

    @Test
    void firstStageSpecsParse() {
        assertThat(FirstStageSpec.parse("bm25")).isEqualTo(new FirstStageSpec.Bm25());
        assertThat(FirstStageSpec.parse("dense:/m")).isEqualTo(new FirstStageSpec.Dense(Path.of("/m")));
        assertThat(FirstStageSpec.parse("run:r.trec")).isEqualTo(new FirstStageSpec.RunFile(Path.of("r.trec")));
        assertThat(FirstStageSpec.parse("shipped")).isEqualTo(new FirstStageSpec.Shipped());
        assertThatThrownBy(() -> FirstStageSpec.parse("dense:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first stage 'dense:': expected bm25, dense:M, run:FILE or shipped");
    }

    @Test
    void reportWritesMarkdownJsonAndSvg() throws Exception {
        EvalResult r = Evaluation.run(settings().withModel(TinyBeir.JINABERT_MINI), Progress.QUIET);
        Path md = dir.resolve("out/report.md");
        Report.write(md, r);
        String text = Files.readString(md);
        assertThat(text).contains("| ndcg@10 | " + Report.f4(r.firstStage().get("ndcg@10")) + " | "
                + Report.f4(r.reranked().get("ndcg@10")) + " |");
        assertThat(text).contains("| reranker | jinabert-mini |", "![NDCG@10 against rerank depth](report-depth.svg)");
        var json = Report.JSON.readTree(dir.resolve("out/report.json").toFile());
        assertThat(json.get("reranked").get("ndcg@10").asDouble()).isEqualTo(r.reranked().get("ndcg@10"));
        assertThat(json.get("per_query").size()).isEqualTo(3);
        var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder();
        assertThat(xml.parse(dir.resolve("out/report-depth.svg").toFile()).getElementsByTagName("circle")
                .getLength()).isEqualTo(1);
        assertThat(xml.parse(dir.resolve("out/report-per-query.svg").toFile()).getElementsByTagName("circle")
                .getLength()).isEqualTo(3);
        var line = Report.JSON.readTree(Report.finalMetricsJson(r));
        Map<String, Double> parsed = new HashMap<>();
        line.fields().forEachRemaining(e -> parsed.put(e.getKey(), e.getValue().asDouble()));
        assertThat(parsed).isEqualTo(r.reranked());
    }
}

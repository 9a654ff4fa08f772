package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.FakeHub;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ProgressListener;
import dev.rerank4j.hub.TestRepos;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoCo-shaped pair of Hub repos built here (two tasks in one documents repo and one queries repo, told apart by
 * the {@code dataset} column; documents of several hundred tokens), reranked by the JinaBERT miniature reading
 * each document whole ({@code full}) or in 64-token windows ({@code chunk}).
 */
class LocoTest {
    private static final String CARD = """
            ---
            configs:
            - config_name: default
              data_files:
              - split: test
                path: data/test-*
            ---
            """;
    private static final ObjectMapper JSON_LINE = new ObjectMapper();
    private static final String[] WORDS = {"budget", "committee", "report", "river", "season", "episode", "paper",
        "meeting", "policy", "agency", "finance", "character", "dialogue", "summary", "audit", "product", "design",
        "team", "plot", "murder", "detective", "hospital", "school", "energy", "market", "survey", "method"};

    @TempDir
    Path home;
    FakeHub hub;
    HubConfig config;
    List<Map<String, Object>> docs;
    List<Map<String, Object>> queries;

    @BeforeEach
    void publish() throws IOException {
        hub = new FakeHub();
        config = TestRepos.config(hub, home);
        Random random = new Random(7);
        List<Map<String, Object>> docs = new ArrayList<>();
        List<Map<String, Object>> queries = new ArrayList<>();
        for (String task : List.of("qmsum", "gov_report")) {
            for (int d = 0; d < 4; d++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 300; w++) {
                    text.append(WORDS[random.nextInt(WORDS.length)]).append(w % 17 == 16 ? ". " : " ");
                }
                docs.add(Map.of("pid", task + "-" + d, "dataset", task, "passage", text.toString().strip()));
            }
            for (int q = 0; q < 3; q++) {
                String query = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
                queries.add(Map.of("qid", task + "-q" + q, "dataset", task, "query", query,
                        "answer_pids", List.of(task + "-" + (q + 1))));
            }
        }
        this.docs = docs;
        this.queries = queries;
        hub.dataset(LocoDataset.DOCUMENTS_REPO).commit(HubBeirDatasetTest.COMMIT, "main", Map.of("README.md",
                HubBeirDatasetTest.text(CARD), "data/test-00000-of-00001.parquet", TestParquet.write(home,
                        List.of("pid", "dataset", "passage"), null, docs, CompressionCodecName.SNAPPY, 1 << 20)));
        hub.dataset(LocoDataset.QUERIES_REPO).commit(HubBeirDatasetTest.COMMIT, "main", Map.of("README.md",
                HubBeirDatasetTest.text(CARD), "data/test-00000-of-00001.parquet", TestParquet.write(home,
                        List.of("qid", "dataset", "query"), "answer_pids", queries, CompressionCodecName.SNAPPY,
                        1 << 20)));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /**
     * The real repos' layout: a card with no configs, one JSON Lines file per task under {@code documents/} in both
     * repos, a loading script beside them. The task reads the same as from the Parquet layout.
     */
    @Test
    void theHubsJsonLinesLayoutReadsAsTheParquetOne() throws IOException {
        try (FakeHub real = new FakeHub()) {
            for (String repo : List.of(LocoDataset.DOCUMENTS_REPO, LocoDataset.QUERIES_REPO)) {
                List<Map<String, Object>> rows = repo.equals(LocoDataset.DOCUMENTS_REPO) ? docs : queries;
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("README.md", HubBeirDatasetTest.text("---\nlicense: apache-2.0\n---\n# LoCoV1\n"));
                files.put("loco.py", HubBeirDatasetTest.text("# a loading script, not data\n"));
                for (String task : List.of("qmsum", "gov_report")) {
                    StringBuilder lines = new StringBuilder();
                    for (Map<String, Object> row : rows) {
                        if (row.get("dataset").equals(task)) {
                            lines.append(JSON_LINE.writeValueAsString(row)).append('\n');
                        }
                    }
                    files.put("documents/" + task + "_test.jsonl", HubBeirDatasetTest.text(lines.toString()));
                }
                real.dataset(repo).commit(HubBeirDatasetTest.COMMIT, "main", files);
            }
            Dataset fromJsonLines = new DatasetSpecs(new DatasetResolver(TestRepos.config(real, home.resolve("real")),
                    ProgressListener.NONE)).open("loco:qmsum");
            Dataset fromParquet = new DatasetSpecs(new DatasetResolver(config, ProgressListener.NONE))
                    .open("loco:qmsum");

            assertThat(fromJsonLines.queries()).isEqualTo(fromParquet.queries()).hasSize(3);
            assertThat(fromJsonLines.qrels("test").byQuery()).isEqualTo(fromParquet.qrels("test").byQuery());
            assertThat(fromJsonLines.countDocuments()).isEqualTo(4);
            EvalResult a = Evaluation.run(EvalSettings.defaults(fromJsonLines).withTopK(4), Progress.QUIET);
            EvalResult b = Evaluation.run(EvalSettings.defaults(fromParquet).withTopK(4), Progress.QUIET);
            assertThat(a.firstStage()).isEqualTo(b.firstStage());
            assertThat(a.finalRun()).isEqualTo(b.finalRun());
        }
    }

    private EvalResult run(LongDocuments mode, int maxLength) {
        Dataset qmsum = new DatasetSpecs(new DatasetResolver(config, ProgressListener.NONE)).open("loco:qmsum");
        EvalSettings s = EvalSettings.defaults(qmsum).withTopK(4).withModel(TinyBeir.JINABERT_MINI)
                .withLongDocuments(mode, maxLength, 8);
        return Evaluation.run(new EvalSettings(s.dataset(), s.split(), s.firstStage(), s.bm25(), s.model(), s.topK(),
                s.longDocuments(), s.maxLength(), s.chunkOverlap(), s.batchSize(), 1, null), Progress.QUIET);
    }

    @Test
    void fullAndChunkedReadingGiveDifferentMetricsThatMatchTheModelsOwnScores() {
        EvalResult full = run(LongDocuments.FULL, 0);
        EvalResult chunk = run(LongDocuments.CHUNK, 64);

        // Only the task's own documents and queries: qmsum's 3 queries over its 4 documents.
        assertThat(full.queries()).isEqualTo(3);
        assertThat(full.finalRun().byQuery().values()).allSatisfy(hits ->
                assertThat(hits).allMatch(h -> h.docId().startsWith("qmsum-")));
        assertThat(full.timings().tokens()).isGreaterThan(chunk.timings().pairs() * 64);

        double fullNdcg = handChecked(full, new ScoreOptions(0, LongDocuments.FULL, 32, 8));
        double chunkNdcg = handChecked(chunk, new ScoreOptions(64, LongDocuments.CHUNK, 32, 8));
        assertThat(full.reranked().get("ndcg@10")).isEqualTo(fullNdcg);
        assertThat(chunk.reranked().get("ndcg@10")).isEqualTo(chunkNdcg);
        assertThat(fullNdcg).isNotEqualTo(chunkNdcg);
        // The same BM25 candidates feed both.
        assertThat(full.firstStage()).isEqualTo(chunk.firstStage());
    }

    /**
     * NDCG@10 recomputed from the model's scores by hand: each query has one relevant document (grade 1), so its
     * NDCG@10 is 1 / log2(1 + rank) at the rank the scores give it (ties by document id descending), 0 if the
     * first stage missed it.
     */
    private double handChecked(EvalResult r, ScoreOptions options) {
        Dataset qmsum = r.settings().dataset();
        Map<String, String> texts = new LinkedHashMap<>();
        qmsum.forEachDocument(d -> texts.put(d.id(), d.contents()));
        Map<String, String> queries = qmsum.queries();
        Qrels qrels = qmsum.qrels("test");
        double sum = 0;
        try (Reranker reranker = Reranker.load(TinyBeir.JINABERT_MINI, EngineOptions.defaults().withThreads(1))) {
            for (var e : r.finalRun().byQuery().entrySet()) {
                List<String> ids = e.getValue().stream().map(Hit::docId).toList();
                List<PairScore> scores = reranker.score(ids.stream()
                        .map(id -> new TextPair(queries.get(e.getKey()), texts.get(id))).toList(), options);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.<Integer>comparingDouble(i -> -scores.get(i).logit())
                        .thenComparing(i -> ids.get(i), Comparator.reverseOrder()));
                String relevant = qrels.of(e.getKey()).keySet().iterator().next();
                for (int rank = 1; rank <= order.size(); rank++) {
                    if (ids.get(order.get(rank - 1)).equals(relevant)) {
                        sum += 1 / (Math.log(1 + rank) / Math.log(2));
                    }
                }
            }
        }
        return sum / r.queries();
    }
}

package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.ScoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pipeline: load the split, retrieve the top k per query with the first stage, rerank them with the model,
 * and measure both rankings with the same trec_eval semantics.
 */
public final class Evaluation {
    /** Rerank depths of the quality-versus-depth curve (those up to top-k, and top-k itself). */
    static final int[] DEPTHS = {10, 20, 50, 100};

    private Evaluation() {
    }

    public static EvalResult run(EvalSettings s, Progress progress) {
        return rerank(retrieve(s, progress), s, progress);
    }

    /** The first stage's candidates for the split's judged queries: what every reranker of a comparison reorders. */
    public static Candidates retrieve(EvalSettings s, Progress progress) {
        long start = System.nanoTime();
        Dataset dataset = s.dataset();
        Qrels qrels = dataset.qrels(s.split());
        Map<String, String> queries = judgedQueries(dataset, qrels, s.split());
        try (FirstStage stage = open(s, dataset, progress)) {
            Run first = stage.retrieve(queries, s.topK(), progress);
            return new Candidates(dataset, qrels, queries, stage.name(), first, seconds(start));
        }
    }

    /**
     * Measures the candidates, then reranks them with {@code s.model()} (none: the first stage alone) and measures
     * again. The candidates must come from {@link #retrieve} with the same dataset, split and top-k.
     */
    public static EvalResult rerank(Candidates c, EvalSettings s, Progress progress) {
        long start = System.nanoTime();
        Evaluator evaluator = Evaluator.standard(s.topK());
        Map<String, Map<String, Double>> perFirst = evaluator.perQuery(c.first(), c.qrels());
        if (s.model() == null) {
            Timings t = new Timings(c.seconds(), 0, 0, 0, c.seconds() + seconds(start));
            return new EvalResult(s, c.firstStageName(), null, perFirst.size(), evaluator.mean(perFirst), null,
                    perFirst, null, List.of(new DepthPoint(0, evaluator.mean(perFirst).get("ndcg@10"))), t,
                    c.first());
        }
        Map<String, String> texts = c.texts();
        long rerankStart = System.nanoTime();
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        long pairs = 0;
        long tokens = 0;
        String modelId;
        try (PairScorer scorer = openScorer(s);
                Progress.Task task = progress.start("Rerank " + c.dataset().name(), c.first().byQuery().size())) {
            modelId = scorer.modelId();
            for (var e : c.first().byQuery().entrySet()) {
                List<String> docs = e.getValue().stream().map(h -> texts.get(h.docId())).toList();
                PairScorer.Scores sc = scorer.score(c.queries().get(e.getKey()), docs);
                Map<String, Double> byDoc = new HashMap<>();
                for (int i = 0; i < docs.size(); i++) {
                    byDoc.put(e.getValue().get(i).docId(), sc.values()[i]);
                }
                scores.put(e.getKey(), byDoc);
                pairs += docs.size();
                tokens += sc.tokens();
                task.step(1);
            }
        }
        double rerankSeconds = seconds(rerankStart);
        Run reranked = rerank(c.first(), scores, s.topK());
        Map<String, Map<String, Double>> perReranked = evaluator.perQuery(reranked, c.qrels());
        Timings t = new Timings(c.seconds(), rerankSeconds, pairs, tokens, c.seconds() + seconds(start));
        return new EvalResult(s, c.firstStageName(), modelId, perFirst.size(), evaluator.mean(perFirst),
                evaluator.mean(perReranked), perFirst, perReranked, depthCurve(c.first(), scores, c.qrels(), s.topK()),
                t, reranked);
    }

    /**
     * A first stage's output: the judged queries and their top-k candidates.
     *
     * @param seconds how long loading the judgements and retrieving took
     */
    public static final class Candidates {
        private final Dataset dataset;
        private final Qrels qrels;
        private final Map<String, String> queries;
        private final String firstStageName;
        private final Run first;
        private final double seconds;
        private Map<String, String> texts;

        Candidates(Dataset dataset, Qrels qrels, Map<String, String> queries, String firstStageName, Run first,
                double seconds) {
            this.dataset = dataset;
            this.qrels = qrels;
            this.queries = queries;
            this.firstStageName = firstStageName;
            this.first = first;
            this.seconds = seconds;
        }

        Dataset dataset() {
            return dataset;
        }

        Qrels qrels() {
            return qrels;
        }

        Map<String, String> queries() {
            return queries;
        }

        String firstStageName() {
            return firstStageName;
        }

        Run first() {
            return first;
        }

        double seconds() {
            return seconds;
        }

        /** The candidates' texts, read from the corpus once however many rerankers use them. */
        synchronized Map<String, String> texts() {
            if (texts == null) {
                texts = candidateTexts(dataset, first);
            }
            return texts;
        }
    }

    /** The split's queries that have a relevant judgement, in query-file order. */
    static Map<String, String> judgedQueries(Dataset dataset, Qrels qrels, String split) {
        Map<String, String> all = dataset.queries();
        Map<String, String> out = new LinkedHashMap<>();
        for (String q : new TreeSet<>(qrels.byQuery().keySet())) {
            if (!qrels.hasRelevant(q)) {
                continue;
            }
            String text = all.get(q);
            if (text == null) {
                throw new RerankException(dataset.qrelsName(split) + ": query '" + q + "' is not in "
                        + dataset.queriesName());
            }
            out.put(q, text);
        }
        return out;
    }

    private static FirstStage open(EvalSettings s, Dataset dataset, Progress progress) {
        return switch (s.firstStage()) {
            case FirstStageSpec.Bm25 b -> Bm25Index.build(dataset, s.bm25(), progress);
            case FirstStageSpec.Dense d -> DenseIndex.build(dataset,
                    embeddingCache(s, d.model(), Engine.load(d.model(), engineOptions(s)).embedder(), 0), progress);
            case FirstStageSpec.RunFile r -> new RunFileStage(r.file());
            case FirstStageSpec.Shipped shipped -> dataset.shippedRanking().<FirstStage>map(r -> r)
                    .orElseGet(() -> Bm25Index.build(dataset, s.bm25(), progress));
        };
    }

    private static PairScorer openScorer(EvalSettings s) {
        Engine engine = Engine.load(s.model(), engineOptions(s).withQuantize(s.quantize()));
        if (engine.architecture().isCrossEncoder()) {
            ScoreOptions options = new ScoreOptions(s.maxLength(), s.longDocuments(), s.batchSize(), s.chunkOverlap());
            return new RerankerScorer(engine.reranker(), options);
        }
        if (s.longDocuments() != LongDocuments.TRUNCATE) {
            engine.close();
            throw new IllegalArgumentException(s.model() + ": a bi-encoder embeds each text on its own; long "
                    + "documents can only be truncated (got " + s.longDocuments().name().toLowerCase() + ")");
        }
        Embedder embedder = engine.embedder();
        // As the bi-encoder Reranker does: a longer max length than the model's max_seq_length is capped there.
        int maxLength = s.maxLength() == 0 ? 0 : Math.min(s.maxLength(), embedder.defaultMaxLength());
        // The embedding cache is keyed by model and length only, so int8 embeddings stay in memory.
        return new EmbeddingScorer(s.quantize() == Quantize.NONE ? embeddingCache(s, s.model(), embedder, maxLength)
                : EmbeddingCache.inMemory(embedder, maxLength));
    }

    private static EmbeddingCache embeddingCache(EvalSettings s, Path modelDir, Embedder embedder, int maxLength) {
        return s.embeddingCache() == null ? EmbeddingCache.inMemory(embedder, maxLength)
                : EmbeddingCache.inDirectory(s.embeddingCache(), modelDir, embedder, maxLength);
    }

    private static EngineOptions engineOptions(EvalSettings s) {
        return EngineOptions.defaults().withThreads(s.threads());
    }

    /** Texts of every candidate ({@link Document#contents()}), from a streaming pass over the corpus. */
    public static Map<String, String> candidateTexts(Dataset dataset, Run run) {
        Set<String> wanted = new HashSet<>();
        run.byQuery().values().forEach(hits -> hits.forEach(h -> wanted.add(h.docId())));
        Map<String, String> out = new HashMap<>();
        dataset.forEachDocument(d -> {
            if (wanted.contains(d.id())) {
                out.put(d.id(), d.contents());
            }
        });
        for (String id : wanted) {
            if (!out.containsKey(id)) {
                throw new RerankException("first stage returned document '" + id + "', which is not in "
                        + dataset.corpusName());
            }
        }
        return out;
    }

    /** Each query's first {@code depth} candidates ordered by the reranker's scores. */
    static Run rerank(Run first, Map<String, Map<String, Double>> scores, int depth) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        first.byQuery().forEach((q, hits) -> {
            List<Hit> rescored = new ArrayList<>();
            for (Hit h : hits.subList(0, Math.min(depth, hits.size()))) {
                rescored.add(new Hit(h.docId(), scores.get(q).get(h.docId())));
            }
            out.put(q, rescored);
        });
        return new Run(out);
    }

    /** Reranking only the top d costs nothing extra: the top-k scores already cover every shallower depth. */
    static List<DepthPoint> depthCurve(Run first, Map<String, Map<String, Double>> scores, Qrels qrels, int topK) {
        Evaluator ndcg = new Evaluator(List.of(Metric.ndcg(10)));
        List<DepthPoint> out = new ArrayList<>();
        out.add(new DepthPoint(0, ndcg.mean(ndcg.perQuery(first, qrels)).get("ndcg@10")));
        Set<Integer> depths = new TreeSet<>();
        for (int d : DEPTHS) {
            if (d <= topK) {
                depths.add(d);
            }
        }
        depths.add(topK);
        for (int d : depths) {
            out.add(new DepthPoint(d, ndcg.mean(ndcg.perQuery(rerank(first, scores, d), qrels)).get("ndcg@10")));
        }
        return out;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

package dev.rerank4j.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores (query, document) pairs and ranks documents by relevance. Thread-safe; close it to release its
 * compute threads.
 *
 * <pre>{@code
 * try (Reranker reranker = Reranker.load(Path.of("models/jina-reranker-v1-tiny-en"))) {
 *     Ranking r = reranker.rank("Organic skincare", docs, RankOptions.defaults().withTopN(3));
 * }
 * }</pre>
 */
public interface Reranker extends AutoCloseable {

    /** Loads a cross-encoder, or a bi-encoder that ranks by cosine similarity, from a model directory. */
    static Reranker load(Path modelDir) {
        return load(modelDir, EngineOptions.defaults());
    }

    static Reranker load(Path modelDir, EngineOptions options) {
        return Engine.load(modelDir, options).reranker();
    }

    /**
     * Loads a model by name: a directory, a Hugging Face id such as {@code jinaai/jina-reranker-v1-tiny-en}
     * (optionally {@code @revision}; from the shared Hugging Face cache, downloaded when missing), or
     * {@code bundled} (all-MiniLM-L6-v2, needs its Maven artifact on the classpath).
     */
    static Reranker load(String model) {
        return Engine.load(model, EngineOptions.defaults()).reranker();
    }

    /** Name of the model, as responses report it. */
    String modelId();

    /** Tokens per pair used when {@link ScoreOptions#maxLength()} is 0. */
    int defaultMaxLength();

    /** The longest input the model can read at all. */
    int maxPositions();

    /** One score per pair, in input order. */
    List<PairScore> score(List<TextPair> pairs, ScoreOptions options);

    default List<PairScore> score(List<TextPair> pairs) {
        return score(pairs, ScoreOptions.defaults());
    }

    /** The documents sorted by relevance to the query, best first (ties keep input order). */
    default Ranking rank(String query, List<String> documents, RankOptions options) {
        List<TextPair> pairs = new ArrayList<>(documents.size());
        for (String d : documents) {
            pairs.add(new TextPair(query, d));
        }
        List<PairScore> scores = score(pairs, options.scoring());
        List<RankedDocument> results = new ArrayList<>(scores.size());
        int tokens = 0;
        for (int i = 0; i < scores.size(); i++) {
            PairScore s = scores.get(i);
            tokens += s.tokens();
            results.add(new RankedDocument(i, s.score(), s.logit(), options.returnDocuments() ? documents.get(i) : null));
        }
        results.sort(Comparator.comparingDouble(RankedDocument::score).reversed()
                .thenComparingInt(RankedDocument::index));
        int n = options.topN() == 0 ? results.size() : Math.min(options.topN(), results.size());
        return new Ranking(modelId(), List.copyOf(results.subList(0, n)), tokens);
    }

    default Ranking rank(String query, List<String> documents) {
        return rank(query, documents, RankOptions.defaults());
    }

    @Override
    void close();
}

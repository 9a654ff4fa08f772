package dev.rerank4j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A bi-encoder as reranker: cosine of L2-normalised embeddings, the score {@code Reranker.score} gives for a
 * bi-encoder. The score of a pair depends only on the two vectors, so each distinct text is embedded once (see
 * {@link EmbeddingCache}): BM25 candidate lists of different queries overlap heavily, and on SciFact cover 97% of
 * the corpus, which the dense first stage of the same model has already embedded.
 */
public final class EmbeddingScorer implements PairScorer {
    private final EmbeddingCache cache;

    /** The scorer owns the cache and closes it. */
    public EmbeddingScorer(EmbeddingCache cache) {
        this.cache = cache;
    }

    @Override
    public String modelId() {
        return cache.modelId();
    }

    @Override
    public Scores score(String query, List<String> documents) {
        List<String> texts = new ArrayList<>(documents.size() + 1);
        texts.add(query);
        texts.addAll(documents);
        float[][] v = cache.embed(texts);
        double[] values = new double[documents.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = DenseIndex.dot(v[0], v[i + 1]);
        }
        return new Scores(values, 0);
    }

    @Override
    public void close() {
        cache.close();
    }
}

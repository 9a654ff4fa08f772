package dev.rerank4j.eval;

import dev.rerank4j.api.Embedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bi-encoder as reranker: cosine of L2-normalised embeddings, the score {@code Reranker.score} gives for a
 * bi-encoder. Because the score of a pair depends only on the two vectors, each distinct text is embedded once
 * per evaluation and cached: BM25 candidate lists of different queries overlap heavily, so this embeds a few
 * thousand documents instead of queries x top-k.
 */
public final class EmbeddingScorer implements PairScorer {
    private final Embedder embedder;
    private final int maxLength;
    private final Map<String, float[]> cache = new HashMap<>();

    /** @param maxLength tokens per text, 0 for the model's max_seq_length (capped there, as the Reranker does) */
    public EmbeddingScorer(Embedder embedder, int maxLength) {
        this.embedder = embedder;
        this.maxLength = maxLength == 0 ? 0 : Math.min(maxLength, embedder.defaultMaxLength());
    }

    @Override
    public String modelId() {
        return embedder.modelId();
    }

    @Override
    public Scores score(String query, List<String> documents) {
        Set<String> missing = new LinkedHashSet<>();
        missing.add(query);
        missing.addAll(documents);
        missing.removeAll(cache.keySet());
        if (!missing.isEmpty()) {
            List<String> texts = new ArrayList<>(missing);
            float[][] vectors = embedder.embed(texts, true, maxLength);
            for (int i = 0; i < texts.size(); i++) {
                cache.put(texts.get(i), vectors[i]);
            }
        }
        float[] q = cache.get(query);
        double[] values = new double[documents.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = DenseIndex.dot(q, cache.get(documents.get(i)));
        }
        return new Scores(values, 0);
    }

    @Override
    public void close() {
        embedder.close();
    }
}

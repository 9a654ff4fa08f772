package dev.rerank4j.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks with a bi-encoder: query and documents are embedded apart (normalised) and scored by cosine
 * similarity. Weaker than a cross-encoder, but it needs only an embedding model.
 */
final class BiEncoderReranker implements Reranker {
    private final BiEncoder embedder;

    BiEncoderReranker(Embedder embedder) {
        this.embedder = (BiEncoder) embedder;
    }

    @Override
    public String modelId() {
        return embedder.modelId();
    }

    @Override
    public int defaultMaxLength() {
        return embedder.defaultMaxLength();
    }

    @Override
    public int maxPositions() {
        return embedder.defaultMaxLength();
    }

    @Override
    public List<PairScore> score(List<TextPair> pairs, ScoreOptions options) {
        // Each distinct text is embedded once: a ranking repeats one query for every document.
        Map<String, Integer> index = new LinkedHashMap<>();
        for (TextPair p : pairs) {
            index.putIfAbsent(p.query(), index.size());
            index.putIfAbsent(p.document(), index.size());
        }
        List<String> texts = new ArrayList<>(index.keySet());
        int maxLength = Math.min(options.maxLength(), embedder.defaultMaxLength());
        float[][] vectors = embedder.embed(texts, true, maxLength);
        int[] tokens = embedder.tokenCounts(texts, maxLength);
        List<PairScore> out = new ArrayList<>(pairs.size());
        for (TextPair p : pairs) {
            int q = index.get(p.query());
            int d = index.get(p.document());
            float cos = 0;
            for (int c = 0; c < vectors[q].length; c++) {
                cos += vectors[q][c] * vectors[d][c];
            }
            out.add(new PairScore(cos, cos, tokens[q] + tokens[d]));
        }
        return out;
    }

    @Override
    public void close() {
        embedder.close();
    }
}

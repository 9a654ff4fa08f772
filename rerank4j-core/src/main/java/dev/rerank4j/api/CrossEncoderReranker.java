package dev.rerank4j.api;

import dev.rerank4j.model.Batch;
import dev.rerank4j.model.PairFormat;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/** A cross-encoder: each (query, document) pair read together, one logit out, sigmoid as the score. */
final class CrossEncoderReranker implements Reranker {
    private final Engine engine;

    CrossEncoderReranker(Engine engine) {
        this.engine = engine;
        if (engine.model().numLabels() != 1) {
            throw new IllegalArgumentException(engine.modelId() + ": classifier has "
                    + engine.model().numLabels() + " labels; a reranker needs exactly 1");
        }
    }

    @Override
    public String modelId() {
        return engine.modelId();
    }

    @Override
    public int defaultMaxLength() {
        return engine.defaultMaxLength();
    }

    @Override
    public int maxPositions() {
        return engine.maxPositions();
    }

    @Override
    public List<PairScore> score(List<TextPair> pairs, ScoreOptions options) {
        int maxLength = options.longDocuments() == LongDocuments.FULL ? engine.maxPositions()
                : engine.maxLength(options.maxLength());
        if (options.longDocuments() == LongDocuments.CHUNK) {
            return new Chunking(engine, maxLength, options.chunkOverlap(), options.instruction(), options.maxChunks())
                    .score(pairs, this::scoreEncoded, options.batchSize());
        }
        Truncation truncation = new Truncation(maxLength, Truncation.Strategy.LONGEST_FIRST,
                options.truncationDirection());
        PairFormat format = engine.model().pairFormat();
        List<Encoding> encoded = new ArrayList<>(pairs.size());
        for (TextPair p : pairs) {
            encoded.add(format.encode(engine.tokenizer(), p.query(), p.document(), truncation, options.instruction()));
        }
        float[] logits = scoreEncoded(encoded, options.batchSize());
        List<PairScore> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < logits.length; i++) {
            out.add(new PairScore(logits[i], sigmoid(logits[i]), encoded.get(i).length()));
        }
        return out;
    }

    /** Logits of already tokenized pairs, in input order, run longest first in token-budgeted batches. */
    float[] scoreEncoded(List<Encoding> encoded, int batchSize) {
        int[] lengths = encoded.stream().mapToInt(Encoding::length).toArray();
        float[] logits = new float[encoded.size()];
        for (int[] group : BatchPlanner.plan(lengths, batchSize, engine.options().maxBatchTokens())) {
            float[] batchLogits = engine.model().logits(batchOf(encoded, group), engine.pool());
            for (int b = 0; b < group.length; b++) {
                logits[group[b]] = batchLogits[b];
            }
        }
        return logits;
    }

    static Batch batchOf(List<Encoding> encoded, int[] group) {
        int[][] ids = new int[group.length][];
        int[][] types = new int[group.length][];
        for (int b = 0; b < group.length; b++) {
            ids[b] = encoded.get(group[b]).ids();
            types[b] = encoded.get(group[b]).typeIds();
        }
        return Batch.of(ids, types);
    }

    static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    @Override
    public void close() {
        engine.close();
    }
}

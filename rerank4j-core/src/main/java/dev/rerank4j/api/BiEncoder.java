package dev.rerank4j.api;

import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/** A sentence-transformers bi-encoder: encoder, then the configured pooling and optional normalisation. */
final class BiEncoder implements Embedder {
    private final Engine engine;
    private final Pooling pooling;

    BiEncoder(Engine engine) {
        this.engine = engine;
        this.pooling = engine.model().pooling();
    }

    @Override
    public String modelId() {
        return engine.modelId();
    }

    @Override
    public int dimension() {
        return engine.model().hiddenSize();
    }

    @Override
    public int defaultMaxLength() {
        return engine.defaultMaxLength();
    }

    @Override
    public boolean normalizes() {
        return pooling.normalize();
    }

    @Override
    public float[][] embed(List<String> texts, boolean normalize, int maxLength, Truncation.Direction direction) {
        Truncation truncation = new Truncation(engine.maxLength(maxLength), Truncation.Strategy.LONGEST_FIRST,
                direction);
        List<Encoding> encoded = new ArrayList<>(texts.size());
        for (String t : texts) {
            encoded.add(engine.tokenizer().encode(t, truncation));
        }
        return embedEncoded(encoded, normalize);
    }

    @Override
    public int[] tokenCounts(List<String> texts, int maxLength) {
        Truncation truncation = Truncation.longestFirst(engine.maxLength(maxLength));
        return texts.stream().mapToInt(t -> engine.tokenizer().encode(t, truncation).length()).toArray();
    }

    private float[][] embedEncoded(List<Encoding> encoded, boolean normalize) {
        int n = encoded.size();
        int h = dimension();
        Pooling pool = new Pooling(pooling.mode(), normalize, pooling.maxSeqLength());
        float[][] out = new float[n][];
        int[] lengths = encoded.stream().mapToInt(Encoding::length).toArray();
        for (int[] group : BatchPlanner.plan(lengths, ScoreOptions.DEFAULT_BATCH_SIZE, engine.options().maxBatchTokens())) {
            Batch batch = CrossEncoderReranker.batchOf(encoded, group);
            float[] hidden = engine.model().hiddenStates(batch, engine.pool());
            for (int b = 0; b < group.length; b++) {
                float[] v = new float[h];
                pool.pool(hidden, batch.start(b), batch.length(b), h, v, 0);
                out[group[b]] = v;
            }
        }
        return out;
    }

    @Override
    public void close() {
        engine.close();
    }
}

package dev.rerank4j.api;

import dev.rerank4j.tokenizer.Truncation;
import java.nio.file.Path;
import java.util.List;

/** Turns texts into vectors with a bi-encoder (sentence-transformers layout). Thread-safe. */
public interface Embedder extends AutoCloseable {

    static Embedder load(Path modelDir) {
        return load(modelDir, EngineOptions.defaults());
    }

    static Embedder load(Path modelDir, EngineOptions options) {
        return Engine.load(modelDir, options).embedder();
    }

    /** Loads a bi-encoder by directory, Hugging Face id or {@code bundled}, as {@link Reranker#load(String)}. */
    static Embedder load(String model) {
        return Engine.load(model, EngineOptions.defaults()).embedder();
    }

    String modelId();

    int dimension();

    /** sentence-transformers' {@code max_seq_length}, else the tokenizer's or the model's limit. */
    int defaultMaxLength();

    /** Whether the model's pipeline ends in a Normalize module. */
    boolean normalizes();

    /**
     * One vector per text, in input order.
     *
     * @param normalize L2-normalise (the model's own choice is {@link #normalizes()})
     * @param maxLength tokens per text including special tokens; 0 means the default
     */
    default float[][] embed(List<String> texts, boolean normalize, int maxLength) {
        return embed(texts, normalize, maxLength, Truncation.Direction.RIGHT);
    }

    /**
     * One vector per text, in input order, a text over {@code maxLength} losing its tokens from the given side
     * (text-embeddings-inference's {@code truncation_direction}).
     */
    float[][] embed(List<String> texts, boolean normalize, int maxLength, Truncation.Direction direction);

    /** Tokens of each text as {@link #embed} reads it (special tokens included, after truncation). */
    int[] tokenCounts(List<String> texts, int maxLength);

    default float[][] embed(List<String> texts) {
        return embed(texts, normalizes(), 0);
    }

    @Override
    void close();
}

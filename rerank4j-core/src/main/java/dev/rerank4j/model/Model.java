package dev.rerank4j.model;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import java.nio.file.Path;

/**
 * A loaded model, as the api layer sees it whatever its family: token ids in, logits or hidden states out,
 * plus its limits. Implementations are immutable after loading, so one instance serves any number of threads;
 * see the package documentation for how to add a family.
 */
public interface Model {

    /** Loads a model directory in Hugging Face layout, recognised by {@link Families}. */
    static Model load(Path dir, Kernels kernels) {
        return Families.load(dir, kernels, false);
    }

    /** As {@link #load(Path, Kernels)}; {@code int8} quantizes float Linear weights to int8 (BERT-layer families). */
    static Model load(Path dir, Kernels kernels, boolean int8) {
        return Families.load(dir, kernels, int8);
    }

    Path directory();

    Architecture architecture();

    default boolean isCrossEncoder() {
        return architecture().isCrossEncoder();
    }

    /** The longest input in tokens, special tokens included; longer sequences are an error. */
    int maxPositions();

    /** Width of {@link #hiddenStates} rows, and of a bi-encoder's embeddings. */
    int hiddenSize();

    /** Outputs per sequence of {@link #logits}; 0 for a bi-encoder. */
    int numLabels();

    /** How a bi-encoder pools token states into one vector; null for cross-encoders. */
    Pooling pooling();

    /** How a cross-encoder's (query, document) pair becomes ids. */
    default PairFormat pairFormat() {
        return PairFormat.TOKENIZER_TEMPLATE;
    }

    Kernels kernels();

    /** Final hidden states of every token, [batch.totalTokens(), hiddenSize()] row-major. */
    float[] hiddenStates(Batch batch, ComputePool pool);

    /**
     * [batch.size(), numLabels()] row-major; cross-encoders only. A family whose head reads the first token only
     * runs its last layer for that token alone (see {@link #logitsWithoutPruning}).
     */
    float[] logits(Batch batch, ComputePool pool);

    /**
     * The same bits as {@link #logits}, with the last layer run for every token as if the head read them all: the
     * work pruning saves, kept to check and measure the pruning (rerank4j-bench's {@code PruningComparison}).
     */
    default float[] logitsWithoutPruning(Batch batch, ComputePool pool) {
        return logits(batch, pool);
    }
}

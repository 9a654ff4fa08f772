package dev.rerank4j.api;

/**
 * Resources an engine may use, and whether it quantizes the model.
 *
 * @param threads compute threads (the pool is the engine's own)
 * @param maxBatchTokens token budget of one forward pass; long pairs run in smaller batches
 * @param quantize {@link Quantize#INT8} to run float weights as int8
 */
public record EngineOptions(int threads, int maxBatchTokens, Quantize quantize) {
    public EngineOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("maxBatchTokens must be >= 1, got " + maxBatchTokens);
        }
        if (quantize == null) {
            throw new IllegalArgumentException("quantize must not be null");
        }
    }

    /** Exact (unquantized) options. */
    public EngineOptions(int threads, int maxBatchTokens) {
        this(threads, maxBatchTokens, Quantize.NONE);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), 16_384);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(n, maxBatchTokens, quantize);
    }

    public EngineOptions withQuantize(Quantize q) {
        return new EngineOptions(threads, maxBatchTokens, q);
    }
}

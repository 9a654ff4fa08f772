package dev.rerank4j.api;

/**
 * Resources an engine may use.
 *
 * @param threads compute threads (the pool is the engine's own)
 * @param maxBatchTokens token budget of one forward pass; long pairs run in smaller batches
 */
public record EngineOptions(int threads, int maxBatchTokens) {
    public EngineOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("maxBatchTokens must be >= 1, got " + maxBatchTokens);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), 16_384);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(n, maxBatchTokens);
    }
}

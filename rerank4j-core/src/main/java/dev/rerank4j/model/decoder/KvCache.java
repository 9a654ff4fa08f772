package dev.rerank4j.model.decoder;

/**
 * The keys (after rotary embedding) and values of the first {@code length} positions of a sequence, per layer,
 * row-major {@code [length, kvDim]}: computed once for a prompt prefix, read by every continuation of it.
 * Never written after it is made, so any number of threads may share it.
 */
public record KvCache(int length, float[][] keys, float[][] values) {
    static final KvCache EMPTY = new KvCache(0, null, null);

    public static KvCache empty() {
        return EMPTY;
    }
}

package dev.rerank4j.model;

/**
 * What a recognised model is, as users see it ({@code GET /info}, error messages).
 *
 * @param name e.g. {@code JINA_BERT_CROSS_ENCODER}
 */
public record Architecture(String name, Kind kind) {

    public enum Kind {
        /** Reads a (query, document) pair together; one logit per pair. */
        CROSS_ENCODER,
        /** Embeds each text on its own (sentence-transformers layout); pooled hidden states. */
        BI_ENCODER
    }

    public boolean isCrossEncoder() {
        return kind == Kind.CROSS_ENCODER;
    }

    @Override
    public String toString() {
        return name;
    }
}

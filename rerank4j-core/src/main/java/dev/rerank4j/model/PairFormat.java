package dev.rerank4j.model;

import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;

/**
 * How a cross-encoder's (query, document) text becomes the ids it reads. Encoders use the tokenizer's pair
 * template ({@code [CLS] q [SEP] d [SEP]}, {@code <s> q </s></s> d </s>}); a decoder reranker builds its own
 * prompt around the two texts instead, and says here how many tokens that prompt adds so that long-document
 * windows still fit.
 */
public interface PairFormat {

    /** The pair as the model reads it, at most {@code truncation.maxLength()} tokens. */
    Encoding encode(Tokenizer tokenizer, String query, String document, Truncation truncation);

    /**
     * As {@link #encode(Tokenizer, String, String, Truncation)}, with the call's task instruction for formats that
     * take one (Qwen3-Reranker's {@code <Instruct>}; null: the format's default); others ignore it.
     */
    default Encoding encode(Tokenizer tokenizer, String query, String document, Truncation truncation,
            String instruction) {
        return encode(tokenizer, query, document, truncation);
    }

    /** Tokens the format adds besides the query's and the document's own. */
    int addedTokens(Tokenizer tokenizer);

    /** The tokenizer's own pair template, with its special tokens. */
    PairFormat TOKENIZER_TEMPLATE = new PairFormat() {
        @Override
        public Encoding encode(Tokenizer tokenizer, String query, String document, Truncation truncation) {
            return tokenizer.encodePair(query, document, truncation);
        }

        @Override
        public int addedTokens(Tokenizer tokenizer) {
            return tokenizer.specialTokenCount(true);
        }
    };
}

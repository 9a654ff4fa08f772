package dev.rerank4j.api;

/** What happens to a (query, document) pair longer than the maximum length. */
public enum LongDocuments {
    /** Cut tokens off (longest side first), as Hugging Face tokenizers do with {@code truncation=True}. */
    TRUNCATE,
    /** Split the document into overlapping windows that fit, score each, keep the best window's score. */
    CHUNK,
    /** Use the model's whole position range (8,192 tokens for JinaBERT) before truncating. */
    FULL
}

package dev.rerank4j.tokenizer;

/** An entry of tokenizer.json {@code added_tokens}: matched in the text before the model sees it. */
record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean singleWord,
                  boolean normalized) {
}

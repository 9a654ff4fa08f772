package dev.rerank4j.tokenizer;

import java.util.Map;

/** Turns one pre-tokenized word into token ids. Implementations are immutable apart from internal caches. */
interface Model {

    /** Appends {@code id, start, end} for each token of {@code word}; start and end index UTF-16 units of word. */
    void tokenize(String word, IntList out);

    /** The vocabulary, token to id. */
    Map<String, Integer> vocab();
}

package dev.rerank4j.tokenizer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the tokens of words already seen. Bounded: once full it stops admitting words rather than evicting,
 * which keeps lookups lock-free; frequent words arrive early in any real corpus.
 */
final class WordCache {
    private static final int MAX_WORD_LENGTH = 256;
    private final ConcurrentHashMap<String, int[]> map = new ConcurrentHashMap<>();
    private final int capacity;

    WordCache(int capacity) {
        this.capacity = capacity;
    }

    /** Appends the word's {@code id, start, end} triples, computing and remembering them on first sight. */
    void tokenize(String word, java.util.function.Function<String, int[]> compute, IntList out) {
        int[] triples = map.get(word);
        if (triples == null) {
            triples = compute.apply(word);
            if (word.length() <= MAX_WORD_LENGTH && map.size() < capacity) {
                map.putIfAbsent(word, triples);
            }
        }
        for (int i = 0; i < triples.length; i += 3) {
            out.add(triples[i], triples[i + 1], triples[i + 2]);
        }
    }
}

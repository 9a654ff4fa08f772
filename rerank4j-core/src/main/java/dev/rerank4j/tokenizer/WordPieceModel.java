package dev.rerank4j.tokenizer;

import java.util.Map;

/** WordPiece: greedy longest-match-first over the vocabulary, continuation pieces carrying a prefix. */
final class WordPieceModel implements Model {
    private final Map<String, Integer> vocab;
    private final String unkToken;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final WordCache cache = new WordCache(100_000);

    WordPieceModel(Map<String, Integer> vocab, String unkToken, String prefix, int maxInputCharsPerWord) {
        this.vocab = Map.copyOf(vocab);
        this.unkToken = unkToken;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntList out) {
        cache.tokenize(word, this::pieces, out);
    }

    private int[] pieces(String word) {
        int n = word.length();
        if (word.codePointCount(0, n) > maxInputCharsPerWord) {
            return new int[] {unkId(), 0, n};
        }
        IntList result = new IntList(12);
        StringBuilder candidate = new StringBuilder(prefix.length() + n);
        int start = 0;
        while (start < n) {
            int end = n;
            int found = -1;
            while (start < end) {
                candidate.setLength(0);
                if (start > 0) {
                    candidate.append(prefix);
                }
                candidate.append(word, start, end);
                Integer id = vocab.get(candidate.toString());
                if (id != null) {
                    found = id;
                    break;
                }
                end -= Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 >= start
                        && Character.isHighSurrogate(word.charAt(end - 2)) ? 2 : 1;
            }
            if (found < 0) {
                return new int[] {unkId(), 0, n};
            }
            result.add(found, start, end);
            start = end;
        }
        return result.toArray();
    }

    private int unkId() {
        Integer id = vocab.get(unkToken);
        if (id == null) {
            throw new IllegalStateException("unk_token '" + unkToken + "' is not in the vocabulary");
        }
        return id;
    }
}

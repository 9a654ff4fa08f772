package dev.rerank4j.tokenizer;

import java.util.List;
import java.util.Map;

/** SentencePiece Unigram. */
final class UnigramModel implements Model {
    UnigramModel(List<String> pieces, double[] scores, int unkId, boolean byteFallback) {
        throw new IllegalArgumentException("Unigram is not supported yet");
    }

    @Override
    public void tokenize(String word, IntList out) {
    }

    @Override
    public Map<String, Integer> vocab() {
        return Map.of();
    }
}

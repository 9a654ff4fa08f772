package dev.rerank4j.tokenizer;

import java.util.Map;

/** One word, one id: the word itself if known, else the unknown token. */
final class WordLevelModel implements Model {
    private final Map<String, Integer> vocab;
    private final String unkToken;

    WordLevelModel(Map<String, Integer> vocab, String unkToken) {
        this.vocab = Map.copyOf(vocab);
        this.unkToken = unkToken;
    }

    @Override
    public Map<String, Integer> vocab() {
        return vocab;
    }

    @Override
    public void tokenize(String word, IntList out) {
        Integer id = vocab.get(word);
        if (id == null && unkToken != null) {
            id = vocab.get(unkToken);
        }
        if (id == null) {
            throw new IllegalStateException("'" + word + "' is not in the vocabulary and unk_token '" + unkToken
                    + "' is not either");
        }
        out.add(id, 0, word.length());
    }
}

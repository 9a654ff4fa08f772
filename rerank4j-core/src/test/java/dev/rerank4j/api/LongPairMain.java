package dev.rerank4j.api;

import dev.rerank4j.testing.Golden;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores one (query, document) pair of exactly N tokens with the model in a directory and prints
 * "tokens logit": run in a child JVM with a small heap to show a long pair needs memory linear in its length.
 */
public final class LongPairMain {
    private LongPairMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int tokens = Integer.parseInt(args[1]);
        try (Engine engine = Engine.load(dir, EngineOptions.defaults().withThreads(2));
                Reranker reranker = engine.reranker()) {
            String doc = documentOf(engine, tokens);
            PairScore s = reranker.score(List.of(new TextPair(QUERY, doc)),
                    ScoreOptions.defaults().withMaxLength(tokens)).get(0);
            System.out.println(s.tokens() + " " + s.logit());
        }
    }

    static final String QUERY = "What is the capital of France?";

    /** The golden documents run together until the text has about {@code tokens} tokens or more. */
    static String documentOf(Engine engine, int tokens) {
        StringBuilder doc = new StringBuilder();
        List<Golden.Pair> pairs = Golden.pairs(Golden.XLMR_MINI);
        for (int i = 0, n = 0; n < tokens + 100; i++) {
            String d = pairs.get(i % pairs.size()).document();
            doc.append(d).append(' ');
            n += engine.tokenizer().encode(d, false, Truncation.none()).length();
        }
        return doc.toString();
    }
}

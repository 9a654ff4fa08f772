package dev.rerank4j.eval;

import java.nio.file.Path;

/**
 * The first stage as the command line names it: {@code bm25}, {@code dense:MODEL_DIR}, {@code run:FILE} or
 * {@code shipped} (the ranking the dataset itself ships, as NanoBEIR's BM25 top-k, else BM25 here).
 */
public sealed interface FirstStageSpec {
    record Bm25() implements FirstStageSpec {
    }

    record Shipped() implements FirstStageSpec {
    }

    record Dense(Path model) implements FirstStageSpec {
    }

    record RunFile(Path file) implements FirstStageSpec {
    }

    static FirstStageSpec parse(String spec) {
        if (spec.equals("bm25")) {
            return new Bm25();
        }
        if (spec.equals("shipped")) {
            return new Shipped();
        }
        if (spec.startsWith("dense:") && spec.length() > "dense:".length()) {
            return new Dense(Path.of(spec.substring("dense:".length())));
        }
        if (spec.startsWith("run:") && spec.length() > "run:".length()) {
            return new RunFile(Path.of(spec.substring("run:".length())));
        }
        throw new IllegalArgumentException("first stage '" + spec + "': expected bm25, dense:M, run:FILE or shipped");
    }
}

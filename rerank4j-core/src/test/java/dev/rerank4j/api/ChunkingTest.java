package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.Golden;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Long documents as windows: coverage, length, overlap, and the best window's logit as the document's. */
class ChunkingTest {
    static final String QUERY = "Which animals sleep during the day?";
    static final int MAX_LENGTH = 40;
    static final int OVERLAP = 6;
    static Engine engine;
    static Reranker reranker;
    static String document;

    @BeforeAll
    static void load() {
        engine = Engine.load(Golden.JINABERT_MINI, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
        StringBuilder sb = new StringBuilder();
        String[] animals = {"Owls", "Bats", "Cats", "Foxes", "Hamsters", "Raccoons", "Hedgehogs", "Possums"};
        for (int i = 0; i < 24; i++) {
            sb.append(animals[i % animals.length]).append(" number ").append(i)
                    .append(" rest in hollow trees while the sun is up. ");
        }
        document = sb.toString().strip();
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    private static Encoding documentTokens() {
        return engine.tokenizer().encode(document, false, Truncation.none());
    }

    private static List<Chunking.Window> windows() {
        return new Chunking(engine, MAX_LENGTH, OVERLAP, null, 0).windows(QUERY, document);
    }

    @Test
    void windowsCoverTheWholeDocumentInOrder() {
        List<Chunking.Window> windows = windows();
        assertThat(windows.size()).isGreaterThan(5);
        Encoding doc = documentTokens();
        assertThat(windows.get(0).startChar()).isEqualTo(doc.start(0));
        assertThat(windows.get(windows.size() - 1).endChar()).isEqualTo(doc.end(doc.length() - 1))
                .isEqualTo(document.length());
        for (int t = 0; t < doc.length(); t++) {
            int start = doc.start(t);
            int end = doc.end(t);
            assertThat(windows).as("token %d [%d, %d)", t, start, end)
                    .anyMatch(w -> w.startChar() <= start && end <= w.endChar());
        }
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i).startChar()).isGreaterThan(windows.get(i - 1).startChar());
        }
    }

    @Test
    void everyWindowWithTheQueryFitsInMaxLength() {
        for (Chunking.Window w : windows()) {
            Encoding pair = engine.tokenizer().encodePair(QUERY, document.substring(w.startChar(), w.endChar()),
                    Truncation.none());
            assertThat(pair.length()).as("window %s", w).isLessThanOrEqualTo(MAX_LENGTH);
        }
    }

    @Test
    void neighbouringWindowsShareTheOverlapTokens() {
        Encoding doc = documentTokens();
        List<Chunking.Window> windows = windows();
        for (int i = 1; i < windows.size() - 1; i++) {
            Chunking.Window a = windows.get(i - 1);
            Chunking.Window b = windows.get(i);
            int shared = 0;
            for (int t = 0; t < doc.length(); t++) {
                boolean inA = a.startChar() <= doc.start(t) && doc.end(t) <= a.endChar();
                boolean inB = b.startChar() <= doc.start(t) && doc.end(t) <= b.endChar();
                shared += inA && inB ? 1 : 0;
            }
            assertThat(shared).as("windows %d and %d", i - 1, i).isEqualTo(OVERLAP);
        }
    }

    @Test
    void maxPoolingKeepsTheBestWindowsLogit() {
        ScoreOptions chunk = new ScoreOptions(MAX_LENGTH, LongDocuments.CHUNK, 8, OVERLAP);
        PairScore pooled = reranker.score(List.of(new TextPair(QUERY, document)), chunk).get(0);
        List<TextPair> perWindow = new ArrayList<>();
        for (Chunking.Window w : windows()) {
            perWindow.add(new TextPair(QUERY, document.substring(w.startChar(), w.endChar())));
        }
        List<PairScore> windowScores = reranker.score(perWindow, ScoreOptions.defaults().withMaxLength(MAX_LENGTH));
        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = -1;
        int tokens = 0;
        for (int i = 0; i < windowScores.size(); i++) {
            tokens += windowScores.get(i).tokens();
            if (windowScores.get(i).logit() > best) {
                best = windowScores.get(i).logit();
                bestIndex = i;
            }
        }
        // Random weights give windows clearly different logits, so the best one is not a near-tie.
        assertThat(windowScores.stream().mapToDouble(PairScore::logit).distinct().count())
                .isEqualTo(windowScores.size());
        assertThat(bestIndex).isNotNegative();
        assertThat(pooled.logit()).isEqualTo(best);
        assertThat(pooled.score()).isEqualTo(1 / (1 + StrictMath.exp(-best)));
        assertThat(pooled.tokens()).isEqualTo(tokens);
        // Truncation reads only the start of the document: a different, single-window logit.
        PairScore truncated = reranker.score(List.of(new TextPair(QUERY, document)),
                ScoreOptions.defaults().withMaxLength(MAX_LENGTH)).get(0);
        assertThat(truncated.logit()).isEqualTo(windowScores.get(0).logit());
    }

    @Test
    void maxChunksScoresOnlyTheFirstWindows() {
        List<Chunking.Window> windows = windows();
        ScoreOptions chunk = new ScoreOptions(MAX_LENGTH, LongDocuments.CHUNK, 8, OVERLAP);
        List<TextPair> firstThree = new ArrayList<>();
        for (Chunking.Window w : windows.subList(0, 3)) {
            firstThree.add(new TextPair(QUERY, document.substring(w.startChar(), w.endChar())));
        }
        List<PairScore> scores = reranker.score(firstThree, ScoreOptions.defaults().withMaxLength(MAX_LENGTH));
        float best = (float) scores.stream().mapToDouble(PairScore::logit).max().orElseThrow();
        int tokens = scores.stream().mapToInt(PairScore::tokens).sum();
        PairScore capped = reranker.score(List.of(new TextPair(QUERY, document)), chunk.withMaxChunks(3)).get(0);
        assertThat(capped.logit()).isEqualTo(best);
        assertThat(capped.tokens()).isEqualTo(tokens);
        PairScore all = reranker.score(List.of(new TextPair(QUERY, document)), chunk).get(0);
        PairScore beyond = reranker.score(List.of(new TextPair(QUERY, document)),
                chunk.withMaxChunks(windows.size() + 5)).get(0);
        assertThat(beyond).isEqualTo(all);
        assertThat(all.tokens()).isGreaterThan(tokens);
    }

    @Test
    void aDocumentThatFitsIsOneWindowAndScoresAsTruncation() {
        String shortDoc = "Owls rest in hollow trees.";
        assertThat(new Chunking(engine, MAX_LENGTH, OVERLAP, null, 0).windows(QUERY, shortDoc))
                .containsExactly(new Chunking.Window(0, shortDoc.length()));
        ScoreOptions chunk = new ScoreOptions(MAX_LENGTH, LongDocuments.CHUNK, 8, OVERLAP);
        float chunked = reranker.score(List.of(new TextPair(QUERY, shortDoc)), chunk).get(0).logit();
        float whole = reranker.score(List.of(new TextPair(QUERY, shortDoc))).get(0).logit();
        assertThat(chunked).isEqualTo(whole);
    }
}

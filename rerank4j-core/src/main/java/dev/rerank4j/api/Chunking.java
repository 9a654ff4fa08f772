package dev.rerank4j.api;

import dev.rerank4j.model.PairFormat;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * Long documents as overlapping windows: each window is paired with the whole query and scored, and the
 * document keeps its best window's logit (max pooling, as Cohere's and Elasticsearch's rerankers do). Windows
 * are cut on token boundaries, using the tokenizer's character offsets.
 */
final class Chunking {

    @FunctionalInterface
    interface BatchScorer {
        float[] logits(List<Encoding> encoded, int batchSize);
    }

    /** A window of a document: its character range. */
    record Window(int startChar, int endChar) {
    }

    private final Engine engine;
    private final int maxLength;
    private final int overlap;
    /** The call's instruction, for instruction-aware pair formats; null for the default. */
    private final String instruction;
    /** Most windows scored per document, from its start; 0 for all. */
    private final int maxChunks;

    Chunking(Engine engine, int maxLength, int overlap, String instruction, int maxChunks) {
        this.engine = engine;
        this.instruction = instruction;
        this.maxLength = maxLength;
        this.overlap = overlap;
        this.maxChunks = maxChunks;
    }

    List<PairScore> score(List<TextPair> pairs, BatchScorer scorer, int batchSize) {
        List<Encoding> all = new ArrayList<>();
        int[] firstWindow = new int[pairs.size() + 1];
        Truncation truncation = Truncation.longestFirst(maxLength);
        PairFormat format = engine.model().pairFormat();
        for (int p = 0; p < pairs.size(); p++) {
            TextPair pair = pairs.get(p);
            firstWindow[p] = all.size();
            List<Window> windows = windows(pair.query(), pair.document());
            if (maxChunks > 0 && windows.size() > maxChunks) {
                windows = windows.subList(0, maxChunks);
            }
            for (Window w : windows) {
                all.add(format.encode(engine.tokenizer(), pair.query(),
                        pair.document().substring(w.startChar(), w.endChar()), truncation, instruction));
            }
        }
        firstWindow[pairs.size()] = all.size();
        float[] logits = scorer.logits(all, batchSize);
        List<PairScore> out = new ArrayList<>(pairs.size());
        for (int p = 0; p < pairs.size(); p++) {
            float best = Float.NEGATIVE_INFINITY;
            int tokens = 0;
            for (int w = firstWindow[p]; w < firstWindow[p + 1]; w++) {
                best = Math.max(best, logits[w]);
                tokens += all.get(w).length();
            }
            out.add(new PairScore(best, CrossEncoderReranker.sigmoid(best), tokens));
        }
        return out;
    }

    /** Character windows of the document that, paired with the query, fit in maxLength tokens. */
    List<Window> windows(String query, String document) {
        int specials = engine.model().pairFormat().addedTokens(engine.tokenizer());
        int queryTokens = engine.tokenizer().encode(query, false, Truncation.none()).length();
        Encoding doc = engine.tokenizer().encode(document, false, Truncation.none());
        int docTokens = doc.length();
        // The query may take at most half the window, as longest-first truncation would leave it.
        int budget = maxLength - specials - Math.min(queryTokens, (maxLength - specials) / 2);
        if (docTokens <= budget) {
            return List.of(new Window(0, document.length()));
        }
        int step = Math.max(1, budget - Math.min(overlap, budget / 2));
        int[] offsets = doc.offsets();
        List<Window> out = new ArrayList<>();
        for (int start = 0; start < docTokens; start += step) {
            int end = Math.min(docTokens, start + budget);
            // A window after the first starts where the previous token ends, so it keeps the whitespace before
            // its first word: byte-level BPE reads "hollow" without its space as two tokens ("h", "ollow"), and
            // the window would no longer fit.
            int startChar = start == 0 ? offsets[0] : offsets[2 * (start - 1) + 1];
            out.add(new Window(startChar, offsets[2 * (end - 1) + 1]));
            if (end == docTokens) {
                break;
            }
        }
        return out;
    }
}

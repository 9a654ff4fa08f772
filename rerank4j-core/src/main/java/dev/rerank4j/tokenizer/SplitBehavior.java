package dev.rerank4j.tokenizer;

import java.util.Collections;
import java.util.List;

/** What a pre-tokenizer does with the delimiters it finds (Hugging Face {@code SplitDelimiterBehavior}). */
enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw new IllegalArgumentException("unknown split behavior '" + name + "'");
        };
    }

    /**
     * Cuts {@code piece} into the pieces this behavior keeps. {@code spans} holds {@code start, end, isMatch}
     * triples that tile the text in order; empty results are dropped.
     */
    void apply(Normalized piece, IntList spans, List<Normalized> out) {
        int count = spans.size() / 3;
        switch (this) {
            case REMOVED -> {
                for (int k = 0; k < count; k++) {
                    if (spans.get(3 * k + 2) == 0) {
                        emit(piece, spans.get(3 * k), spans.get(3 * k + 1), out);
                    }
                }
            }
            case ISOLATED -> {
                for (int k = 0; k < count; k++) {
                    emit(piece, spans.get(3 * k), spans.get(3 * k + 1), out);
                }
            }
            case MERGED_WITH_PREVIOUS, CONTIGUOUS -> merge(piece, spans, false, out);
            case MERGED_WITH_NEXT -> {
                // Mirror image of MERGED_WITH_PREVIOUS: walk backwards, a match joins the span after it.
                int first = out.size();
                merge(piece, spans, true, out);
                Collections.reverse(out.subList(first, out.size()));
            }
        }
    }

    /**
     * Walks the spans (backwards if {@code reverse}); a span joins the one before it in walking order when it is a
     * match after a non-match, or for CONTIGUOUS when it is of the same kind.
     */
    private void merge(Normalized piece, IntList spans, boolean reverse, List<Normalized> out) {
        int count = spans.size() / 3;
        int curStart = -1;
        int curEnd = -1;
        boolean previousMatch = false;
        for (int step = 0; step < count; step++) {
            int k = reverse ? count - 1 - step : step;
            int s = spans.get(3 * k);
            int e = spans.get(3 * k + 1);
            boolean match = spans.get(3 * k + 2) != 0;
            boolean join = this == CONTIGUOUS ? match == previousMatch : match && !previousMatch;
            if (join && curStart >= 0) {
                curStart = Math.min(curStart, s);
                curEnd = Math.max(curEnd, e);
            } else {
                if (curStart >= 0) {
                    emit(piece, curStart, curEnd, out);
                }
                curStart = s;
                curEnd = e;
            }
            previousMatch = match;
        }
        if (curStart >= 0) {
            emit(piece, curStart, curEnd, out);
        }
    }

    private static void emit(Normalized piece, int s, int e, List<Normalized> out) {
        if (s < e) {
            out.add(piece.slice(s, e));
        }
    }

    /** Spans for "every code point satisfying {@code isDelimiter} is a match of its own". */
    static IntList charMatches(String text, java.util.function.IntPredicate isDelimiter, IntList spans) {
        spans.clear();
        int gap = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isDelimiter.test(c)) {
                if (gap < i) {
                    spans.add(gap, i, 0);
                }
                spans.add(i, next, 1);
                gap = next;
            }
            i = next;
        }
        if (gap < text.length()) {
            spans.add(gap, text.length(), 0);
        }
        return spans;
    }
}

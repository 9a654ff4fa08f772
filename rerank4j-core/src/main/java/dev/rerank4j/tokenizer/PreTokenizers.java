package dev.rerank4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The simple pre-tokenizers of Hugging Face {@code tokenizers}. */
final class PreTokenizers {
    private PreTokenizers() {
    }

    /** Splits every piece on code points matching a predicate. */
    record CharSplit(IntPredicate isDelimiter, SplitBehavior behavior) implements PreTokenizer {
        @Override
        public void split(Normalized piece, List<Normalized> out) {
            behavior.apply(piece, SplitBehavior.charMatches(piece.text, isDelimiter, new IntList(16)), out);
        }
    }

    static PreTokenizer whitespaceSplit() {
        return new CharSplit(Chars::isWhiteSpace, SplitBehavior.REMOVED);
    }

    static PreTokenizer punctuation(SplitBehavior behavior) {
        return new CharSplit(Chars::isBertPunctuation, behavior);
    }

    static PreTokenizer digits(boolean individual) {
        return new CharSplit(Chars::isNumber, individual ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS);
    }

    static PreTokenizer charDelimiter(int delimiter) {
        return new CharSplit(c -> c == delimiter, SplitBehavior.REMOVED);
    }

    /** BERT: whitespace removed, then every punctuation character on its own. */
    static PreTokenizer bert() {
        return new Sequence(List.of(whitespaceSplit(), punctuation(SplitBehavior.ISOLATED)));
    }

    /** {@code \w+|[^\w\s]+}: runs of word characters and runs of other non-space characters. */
    record Whitespace() implements PreTokenizer {
        @Override
        public void split(Normalized piece, List<Normalized> out) {
            String t = piece.text;
            int i = 0;
            while (i < t.length()) {
                int c = t.codePointAt(i);
                if (Chars.isWhiteSpace(c)) {
                    i += Character.charCount(c);
                    continue;
                }
                boolean word = Chars.isWordChar(c);
                int j = i;
                while (j < t.length()) {
                    int d = t.codePointAt(j);
                    if (Chars.isWhiteSpace(d) || Chars.isWordChar(d) != word) {
                        break;
                    }
                    j += Character.charCount(d);
                }
                out.add(piece.slice(i, j));
                i = j;
            }
        }
    }

    /** Split on a regex or a literal string, with a delimiter behavior, optionally on what does not match. */
    record Split(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public void split(Normalized piece, List<Normalized> out) {
            IntList spans = new IntList(16);
            String t = piece.text;
            int m = invert ? 0 : 1;
            int prev = 0;
            Matcher matcher = pattern.matcher(t);
            while (matcher.find()) {
                if (matcher.end() == matcher.start()) {
                    continue;
                }
                if (prev < matcher.start()) {
                    spans.add(prev, matcher.start(), 1 - m);
                }
                spans.add(matcher.start(), matcher.end(), m);
                prev = matcher.end();
            }
            if (prev < t.length()) {
                spans.add(prev, t.length(), 1 - m);
            }
            behavior.apply(piece, spans, out);
        }
    }

    /** Replaces spaces by a visible marker and optionally prepends one; may split before each marker. */
    record Metaspace(char replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer {
        enum PrependScheme { ALWAYS, FIRST, NEVER }

        @Override
        public void split(Normalized piece, List<Normalized> out) {
            String t = piece.text;
            Normalized.Builder b = piece.builder();
            boolean prepend = switch (prependScheme) {
                case ALWAYS -> true;
                case FIRST -> piece.originalStartOf(0, 0) == 0;
                case NEVER -> false;
            };
            // The check for a leading marker happens after spaces became markers.
            boolean startsWithMarker = !t.isEmpty() && (t.charAt(0) == ' ' || t.charAt(0) == replacement);
            if (prepend && !startsWithMarker) {
                b.append(replacement, 0, Math.min(1, t.length()));
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == ' ') {
                    b.append(replacement, i, i + 1);
                } else {
                    b.copy(i, i + 1);
                }
            }
            Normalized replaced = b.build();
            if (!split) {
                out.add(replaced);
                return;
            }
            SplitBehavior.MERGED_WITH_NEXT.apply(replaced,
                    SplitBehavior.charMatches(replaced.text, c -> c == replacement, new IntList(16)), out);
        }
    }

    /** Applies each pre-tokenizer to every piece the previous ones produced. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(Normalized piece, List<Normalized> out) {
            List<Normalized> current = List.of(piece);
            for (PreTokenizer step : steps) {
                List<Normalized> next = new ArrayList<>();
                for (Normalized p : current) {
                    step.split(p, next);
                }
                current = next;
            }
            out.addAll(current);
        }
    }
}

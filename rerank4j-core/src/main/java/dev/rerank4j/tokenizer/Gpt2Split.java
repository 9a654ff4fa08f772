package dev.rerank4j.tokenizer;

/**
 * The GPT-2 pre-tokenization regex, hand-compiled:
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}.
 * The alternatives are tried in order at each position, exactly as the backtracking engine would.
 */
final class Gpt2Split {
    private Gpt2Split() {
    }

    /** Appends {@code start, end, 1} for every match; the matches tile the text. */
    static void matches(String s, IntList spans) {
        spans.clear();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = matchAt(s, i, n);
            spans.add(i, end, 1);
            i = end;
        }
    }

    private static int matchAt(String s, int i, int n) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < n) {
            char d = s.charAt(i + 1);
            if (d == 's' || d == 't' || d == 'm' || d == 'd') {
                return i + 2;
            }
            if (i + 2 < n) {
                char e = s.charAt(i + 2);
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) {
                    return i + 3;
                }
            }
        }
        int j = i;
        int cp = s.codePointAt(i);
        if (c == ' ' && i + 1 < n) {
            int next = s.codePointAt(i + 1);
            if (!Chars.isWhiteSpace(next)) {
                j = i + 1;
                cp = next;
            }
        }
        if (j > i || !Chars.isWhiteSpace(cp)) {
            if (Chars.isLetter(cp)) {
                return run(s, j, n, Kind.LETTER);
            }
            if (Chars.isNumber(cp)) {
                return run(s, j, n, Kind.NUMBER);
            }
            return run(s, j, n, Kind.OTHER);
        }
        // Whitespace: \s+(?!\S) takes the run but leaves its last unit for the next token when a non-space follows;
        // a lone space before a non-space falls through to \s+.
        int k = i;
        while (k < n) {
            int w = s.codePointAt(k);
            if (!Chars.isWhiteSpace(w)) {
                break;
            }
            k += Character.charCount(w);
        }
        if (k == n) {
            return n;
        }
        int lastStart = k - 1; // whitespace is always BMP
        return lastStart > i ? lastStart : k;
    }

    private enum Kind { LETTER, NUMBER, OTHER }

    private static int run(String s, int j, int n, Kind kind) {
        int k = j;
        while (k < n) {
            int cp = s.codePointAt(k);
            boolean in = switch (kind) {
                case LETTER -> Chars.isLetter(cp);
                case NUMBER -> Chars.isNumber(cp);
                case OTHER -> !Chars.isWhiteSpace(cp) && !Chars.isLetter(cp) && !Chars.isNumber(cp);
            };
            if (!in) {
                break;
            }
            k += Character.charCount(cp);
        }
        return k;
    }
}

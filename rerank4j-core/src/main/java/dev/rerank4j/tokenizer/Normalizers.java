package dev.rerank4j.tokenizer;

import java.text.Normalizer.Form;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The normalizers of Hugging Face {@code tokenizers}, except the SentencePiece charsmap ({@link Precompiled}). */
final class Normalizers {
    private Normalizers() {
    }

    /** BERT's normalizer: clean control characters, space out CJK ideographs, strip accents, lowercase. */
    record Bert(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
            implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            Normalized n = in;
            if (cleanText || handleChineseChars) {
                n = cleanAndSpace(n);
            }
            if (stripAccents) {
                n = filter(unicode(n, Form.NFD), c -> BertCategories.of(c) != BertCategories.NONSPACING_MARK);
            }
            if (lowercase) {
                n = Normalizers.lowercase(n);
            }
            return n;
        }

        private Normalized cleanAndSpace(Normalized n) {
            String t = n.text;
            // Printable ASCII and Latin letters pass untouched.
            if (allUnits(t, c -> (c >= ' ' && c < 0x7F) || (c >= 0xA1 && c < 0x300 && c != 0xAD))) {
                return n;
            }
            Normalized.Builder b = n.builder();
            for (int i = 0; i < t.length(); ) {
                int c = t.codePointAt(i);
                int next = i + Character.charCount(c);
                if (cleanText && (c == 0 || c == 0xFFFD || isControl(c))) {
                    i = next;
                    continue;
                }
                if (cleanText && (Chars.isWhiteSpace(c))) {
                    b.append(' ', i, next);
                } else if (handleChineseChars && Chars.isChineseChar(c)) {
                    b.append(' ', i, next).append(c, i, next).append(' ', i, next);
                } else {
                    b.copy(i, next);
                }
                i = next;
            }
            return b.build();
        }

        private static boolean isControl(int c) {
            return c != '\t' && c != '\n' && c != '\r' && BertCategories.of(c) == BertCategories.OTHER;
        }
    }

    /** Unicode normalization form NFC, NFD, NFKC or NFKD. */
    record Unicode(Form form) implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            return unicode(in, form);
        }
    }

    record Lowercase() implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            return lowercase(in);
        }
    }

    /** Drops combining marks (Unicode categories Mn, Mc, Me). */
    record StripAccents() implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            return filter(in, c -> {
                int t = Character.getType(c);
                return t != Character.NON_SPACING_MARK && t != Character.COMBINING_SPACING_MARK
                        && t != Character.ENCLOSING_MARK;
            });
        }
    }

    /** Removes leading and/or trailing whitespace. */
    record Strip(boolean left, boolean right) implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            String t = in.text;
            int s = 0;
            int e = t.length();
            while (left && s < e && Chars.isWhiteSpace(t.charAt(s))) {
                s++;
            }
            while (right && e > s && Chars.isWhiteSpace(t.charAt(e - 1))) {
                e--;
            }
            return in.slice(s, e);
        }
    }

    /** Replaces every match of a regex (or literal string) by {@code content}. */
    record Replace(Pattern pattern, String content) implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            Matcher m = pattern.matcher(in.text);
            if (!m.find()) {
                return in;
            }
            Normalized.Builder b = in.builder();
            int prev = 0;
            do {
                if (m.end() == m.start()) {
                    continue;
                }
                b.copy(prev, m.start());
                b.append(content, m.start(), m.end());
                prev = m.end();
            } while (m.find());
            b.copy(prev, in.length());
            return b.build();
        }
    }

    /** Puts a string in front of any non-empty text. */
    record Prepend(String prefix) implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            if (in.isEmpty()) {
                return in;
            }
            return in.builder().append(prefix, 0, 1).copy(0, in.length()).build();
        }
    }

    record Sequence(List<TextNormalizer> steps) implements TextNormalizer {
        @Override
        public Normalized normalize(Normalized in) {
            Normalized n = in;
            for (TextNormalizer step : steps) {
                n = step.normalize(n);
            }
            return n;
        }
    }

    private static boolean allUnits(String t, IntPredicate p) {
        for (int i = 0; i < t.length(); i++) {
            if (!p.test(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static Normalized filter(Normalized n, IntPredicate keep) {
        String t = n.text;
        int i = 0;
        while (i < t.length()) {
            int c = t.codePointAt(i);
            if (!keep.test(c)) {
                break;
            }
            i += Character.charCount(c);
        }
        if (i == t.length()) {
            return n;
        }
        Normalized.Builder b = n.builder();
        b.copy(0, i);
        while (i < t.length()) {
            int c = t.codePointAt(i);
            int next = i + Character.charCount(c);
            if (keep.test(c)) {
                b.copy(i, next);
            }
            i = next;
        }
        return b.build();
    }

    /** Per-character lowercasing as Rust's {@code char::to_lowercase} does it (no context-dependent rules). */
    static Normalized lowercase(Normalized n) {
        String t = n.text;
        if (allUnits(t, c -> c < 0x80 && !(c >= 'A' && c <= 'Z'))) {
            return n;
        }
        if (allUnits(t, c -> c < 0x80)) {
            return n.withText(t.toLowerCase(java.util.Locale.ROOT));
        }
        Normalized.Builder b = n.builder();
        for (int i = 0; i < t.length(); ) {
            int c = t.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c == 0x130) {
                b.append("i\u0307", i, next);
            } else {
                int l = Character.toLowerCase(c);
                if (l == c) {
                    b.copy(i, next);
                } else {
                    b.append(l, i, next);
                }
            }
            i = next;
        }
        return b.build();
    }

    /**
     * Unicode normalization. Text is normalized in segments that start at a character which cannot combine with
     * what precedes it, so each output character can be traced to its segment; if segmenting would change the
     * result, the whole text is one segment.
     */
    static Normalized unicode(Normalized n, Form form) {
        String t = n.text;
        if (java.text.Normalizer.isNormalized(t, form)) {
            return n;
        }
        String whole = java.text.Normalizer.normalize(t, form);
        Normalized.Builder b = n.builder();
        int segStart = 0;
        for (int i = 0; i <= t.length(); ) {
            int c = i < t.length() ? t.codePointAt(i) : -1;
            if (i == t.length() || (i > segStart && startsSegment(c))) {
                String seg = t.substring(segStart, i);
                b.append(java.text.Normalizer.normalize(seg, form), segStart, i);
                segStart = i;
            }
            i += i < t.length() ? Character.charCount(c) : 1;
        }
        Normalized out = b.build();
        if (out.text.equals(whole)) {
            return out;
        }
        return n.builder().append(whole, 0, t.length()).build();
    }

    private static boolean startsSegment(int c) {
        if (c < 0x300) {
            return true;
        }
        int t = Character.getType(c);
        boolean mark = t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK;
        boolean jamoTail = c >= 0x1160 && c <= 0x11FF;
        return !mark && !jamoTail;
    }
}

package dev.rerank4j.tokenizer;

import java.util.Arrays;

/**
 * A piece of text on its way through normalizers and pre-tokenizers, remembering for each UTF-16 unit which
 * range of the original string it came from, so that tokens can report offsets into what the caller passed.
 * Immutable.
 */
final class Normalized {
    final String text;
    /** Original range of unit i is [starts[i], ends[i]); null means unit i came from original index base + i. */
    private final int[] starts;
    private final int[] ends;
    private final int base;

    private Normalized(String text, int[] starts, int[] ends, int base) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.base = base;
    }

    static Normalized of(String original) {
        return new Normalized(original, null, null, 0);
    }

    int length() {
        return text.length();
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    int originalStart(int i) {
        return starts == null ? base + i : starts[i];
    }

    int originalEnd(int i) {
        return ends == null ? base + i + 1 : ends[i];
    }

    /** Original range start of the units [from, to); an empty range reports the position it sits at. */
    int originalStartOf(int from, int to) {
        if (from < to) {
            return originalStart(from);
        }
        return from < length() ? originalStart(from) : (length() == 0 ? base : originalEnd(length() - 1));
    }

    int originalEndOf(int from, int to) {
        return from < to ? originalEnd(to - 1) : originalStartOf(from, to);
    }

    Normalized slice(int from, int to) {
        if (from == 0 && to == text.length()) {
            return this;
        }
        String sub = text.substring(from, to);
        if (starts == null) {
            return new Normalized(sub, null, null, base + from);
        }
        return new Normalized(sub, Arrays.copyOfRange(starts, from, to), Arrays.copyOfRange(ends, from, to), 0);
    }

    /** The same alignment under a text of equal length whose units map one to one onto this one's. */
    Normalized withText(String sameLength) {
        if (sameLength.length() != text.length()) {
            throw new IllegalArgumentException("length " + sameLength.length() + " != " + text.length());
        }
        return new Normalized(sameLength, starts, ends, base);
    }

    Builder builder() {
        return new Builder(this, text.length());
    }

    /** Builds a transformed text; every appended unit inherits the original range of the source units named. */
    static final class Builder {
        private final Normalized source;
        private final StringBuilder sb;
        private int[] starts;
        private int[] ends;

        Builder(Normalized source, int capacity) {
            this.source = source;
            this.sb = new StringBuilder(capacity + 4);
            this.starts = new int[capacity + 4];
            this.ends = new int[capacity + 4];
        }

        /** Appends code point {@code cp}, derived from source units [from, to). */
        Builder append(int cp, int from, int to) {
            int s = source.originalStartOf(from, to);
            int e = source.originalEndOf(from, to);
            if (Character.isBmpCodePoint(cp)) {
                put((char) cp, s, e);
            } else {
                put(Character.highSurrogate(cp), s, e);
                put(Character.lowSurrogate(cp), s, e);
            }
            return this;
        }

        /** Appends every code point of {@code str}, all derived from source units [from, to). */
        Builder append(CharSequence str, int from, int to) {
            int s = source.originalStartOf(from, to);
            int e = source.originalEndOf(from, to);
            for (int i = 0; i < str.length(); i++) {
                put(str.charAt(i), s, e);
            }
            return this;
        }

        /** Copies source units [from, to) unchanged. */
        Builder copy(int from, int to) {
            for (int i = from; i < to; i++) {
                put(source.text.charAt(i), source.originalStart(i), source.originalEnd(i));
            }
            return this;
        }

        private void put(char c, int s, int e) {
            int n = sb.length();
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            sb.append(c);
            starts[n] = s;
            ends[n] = e;
        }

        int length() {
            return sb.length();
        }

        Normalized build() {
            int n = sb.length();
            return new Normalized(sb.toString(), Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), 0);
        }
    }
}

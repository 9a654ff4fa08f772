package dev.rerank4j.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece's precompiled character map: a darts-clone double-array trie over UTF-8 byte strings whose values
 * point into a blob of NUL-terminated replacements. Applied like Hugging Face does it: each grapheme cluster shorter
 * than six bytes is looked up whole, otherwise each character is; a lookup takes the replacement of the
 * <em>shortest</em> key that prefixes the chunk and substitutes it for the whole chunk.
 */
final class Precompiled implements TextNormalizer {
    private final int[] units;
    private final byte[] normalized;
    private final ConcurrentHashMap<Integer, String> replacements = new ConcurrentHashMap<>();

    Precompiled(byte[] charsmap) {
        if (charsmap.length < 4) {
            throw new IllegalArgumentException("shorter than its 4-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(charsmap).order(ByteOrder.LITTLE_ENDIAN);
        long trieSize = buf.getInt() & 0xFFFFFFFFL;
        if (trieSize % 4 != 0 || trieSize == 0 || 4 + trieSize > charsmap.length) {
            throw new IllegalArgumentException("trie size " + trieSize + " does not fit the " + charsmap.length
                    + "-byte map");
        }
        units = new int[(int) (trieSize / 4)];
        buf.asIntBuffer().get(units);
        normalized = java.util.Arrays.copyOfRange(charsmap, (int) (4 + trieSize), charsmap.length);
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(normalized));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("replacement strings are not valid UTF-8");
        }
    }

    @Override
    public Normalized normalize(Normalized in) {
        String t = in.text;
        if (t.isEmpty()) {
            return in;
        }
        Normalized.Builder b = in.builder();
        boolean modified = false;
        // Characters mapped to nothing are attributed to the next character that survives. Hugging Face's own
        // bookkeeping does the same at the start of the text, where Metaspace's "first" scheme looks.
        int deletedFrom = -1;
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(t);
        byte[] bytes = new byte[16];
        int start = graphemes.first();
        for (int end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            int n = utf8(t, start, end, bytes);
            String whole = n < 6 ? transform(bytes, n) : null;
            if (whole != null) {
                deletedFrom = emit(b, whole, start, end, deletedFrom);
                modified = true;
                continue;
            }
            for (int i = start; i < end; ) {
                int cp = t.codePointAt(i);
                int next = i + Character.charCount(cp);
                String r = transform(bytes, ByteLevel.utf8(cp, bytes));
                modified |= r != null;
                deletedFrom = emit(b, r != null ? r : t.substring(i, next), i, next, deletedFrom);
                i = next;
            }
        }
        return modified ? b.build() : in;
    }

    /** Appends the replacement of source units [from, to); returns where pending deleted units start, or -1. */
    private static int emit(Normalized.Builder b, String replacement, int from, int to, int deletedFrom) {
        if (replacement.isEmpty()) {
            return deletedFrom < 0 ? from : deletedFrom;
        }
        b.append(replacement, deletedFrom < 0 ? from : deletedFrom, to);
        return -1;
    }

    /** UTF-8 of t[from, to) into buf if it fits (length returned either way). */
    private static int utf8(String t, int from, int to, byte[] buf) {
        int n = 0;
        byte[] one = new byte[4];
        for (int i = from; i < to; ) {
            int cp = t.codePointAt(i);
            int len = ByteLevel.utf8(cp, one);
            for (int k = 0; k < len; k++) {
                if (n + k < buf.length) {
                    buf[n + k] = one[k];
                }
            }
            n += len;
            i += Character.charCount(cp);
        }
        return n;
    }

    /** The replacement for the shortest key prefixing {@code key[0, n)}, or null. */
    private String transform(byte[] key, int n) {
        int value = firstPrefixValue(key, n);
        return value < 0 ? null : replacements.computeIfAbsent(value, this::replacementAt);
    }

    /** darts-clone common-prefix search, stopping at the first hit (and at a NUL byte, as upstream does). */
    private int firstPrefixValue(byte[] key, int n) {
        int pos = offset(units[0]);
        for (int i = 0; i < n; i++) {
            int c = key[i] & 0xFF;
            if (c == 0) {
                return -1;
            }
            pos ^= c;
            if (pos < 0 || pos >= units.length) {
                return -1;
            }
            int unit = units[pos];
            if ((unit & 0x800000FF) != c) {
                return -1;
            }
            pos ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) {
                if (pos < 0 || pos >= units.length) {
                    return -1;
                }
                return units[pos] & 0x7FFFFFFF;
            }
        }
        return -1;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private String replacementAt(int index) {
        int end = index;
        while (end < normalized.length && normalized[end] != 0) {
            end++;
        }
        if (index > normalized.length) {
            return "";
        }
        return new String(normalized, index, end - index, StandardCharsets.UTF_8);
    }
}

package dev.rerank4j.tokenizer;

import java.util.List;

/**
 * GPT-2's byte-level pre-tokenizer: optional prefix space, the GPT-2 split, then every UTF-8 byte mapped to a
 * printable character so that BPE can work over bytes while seeing only text.
 */
final class ByteLevel implements PreTokenizer {
    /** Byte value to the character that stands for it. */
    static final char[] BYTE_TO_CHAR = byteToChar();

    private final boolean addPrefixSpace;
    private final boolean useRegex;

    ByteLevel(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
    }

    private static char[] byteToChar() {
        char[] map = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char) b : (char) (256 + extra++);
        }
        return map;
    }

    @Override
    public void split(Normalized piece, List<Normalized> out) {
        Normalized p = piece;
        if (addPrefixSpace && !p.text.startsWith(" ")) {
            p = p.builder().append(' ', 0, Math.min(1, p.length())).copy(0, p.length()).build();
        }
        if (!useRegex) {
            out.add(toBytes(p));
            return;
        }
        IntList spans = new IntList(16);
        Gpt2Split.matches(p.text, spans);
        for (int k = 0; k < spans.size(); k += 3) {
            out.add(toBytes(p.slice(spans.get(k), spans.get(k + 1))));
        }
    }

    /** Replaces each character by the byte-level characters of its UTF-8 encoding. */
    static Normalized toBytes(Normalized p) {
        String t = p.text;
        int n = t.length();
        char[] mapped = null;
        int i = 0;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (c >= 0x80) {
                break;
            }
            char m = BYTE_TO_CHAR[c];
            if (m != c) {
                if (mapped == null) {
                    mapped = t.toCharArray();
                }
                mapped[i] = m;
            }
        }
        if (i == n) {
            // ASCII: one byte per unit, so the alignment carries over unchanged.
            return mapped == null ? p : p.withText(new String(mapped));
        }
        Normalized.Builder b = new Normalized.Builder(p, t.length() * 2);
        byte[] buf = new byte[4];
        for (int j = 0; j < n; ) {
            int cp = t.codePointAt(j);
            int len = Character.charCount(cp);
            int nb = utf8(cp, buf);
            for (int k = 0; k < nb; k++) {
                b.append(BYTE_TO_CHAR[buf[k] & 0xFF], j, j + len);
            }
            j += len;
        }
        return b.build();
    }

    /** UTF-8 bytes of {@code cp} (a surrogate becomes U+FFFD, as Rust strings cannot hold one). */
    static int utf8(int cp, byte[] buf) {
        if (cp < 0x80) {
            buf[0] = (byte) cp;
            return 1;
        }
        if (cp < 0x800) {
            buf[0] = (byte) (0xC0 | (cp >> 6));
            buf[1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        }
        if (Character.isSurrogate((char) cp) && cp < 0x10000) {
            return utf8(0xFFFD, buf);
        }
        if (cp < 0x10000) {
            buf[0] = (byte) (0xE0 | (cp >> 12));
            buf[1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        }
        buf[0] = (byte) (0xF0 | (cp >> 18));
        buf[1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[3] = (byte) (0x80 | (cp & 0x3F));
        return 4;
    }
}

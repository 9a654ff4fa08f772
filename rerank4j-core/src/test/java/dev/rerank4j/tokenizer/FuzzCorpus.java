package dev.rerank4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic corpus of awkward strings for parity tests: ASCII words and contractions, punctuation runs, digits,
 * every kind of whitespace and zero-width character, emoji with skin tones and ZWJ sequences, combining marks, CJK,
 * right-to-left scripts, very long words, literal special tokens of several tokenizer families, control characters
 * and unpaired surrogates.
 */
final class FuzzCorpus {
    private static final String[] WORDS = {"the", "The", "THE", "a", "reranking", "cross-encoder", "Hello", "world",
        "don't", "I'm", "we'll", "they've", "she'd", "it's", "IT'S", "You're", "'s", "'", "''", "naïve", "café",
        "résumé", "Zürich", "straße", "ﬁnance", "İstanbul", "ΣΟΦΙΑ", "σοφία", "Ωmega", "Ǆemal", "x86_64", "e-mail",
        "snake_case", "camelCaseWord", "HTTPServer", "C++", "C#", "F#", "node.js", "foo@bar.com",
        "https://example.com/a?b=c&d=e#f", "user/path\\file.txt", "COVID-19", "SARS-CoV-2", "p53", "IL-6", "β-catenin",
        "α-helix", "μg/mL", "°C", "±", "≥", "→", "✓", "™", "©", "½", "²", "Ⅻ", "①", "ǅ", "ß", "ẞ", "ŉ", "ﬀ"};
    private static final String[] PUNCT = {"!", "!!!", "?!", "...", "…", "--", "—", "–", ",", ";", ":", "(", ")", "[",
        "]", "{", "}", "<", ">", "\"", "“", "”", "‘", "’", "«", "»", "#", "$", "%", "&", "*", "+", "=", "@", "^", "_",
        "`", "|", "~", "/", "\\", "¿", "¡", "·", "•", "、", "。", "，", "！", "？", "؟", "،", "।", "॥", "♥", "★"};
    private static final String[] DIGITS = {"0", "7", "42", "2024", "3.14159", "1,000,000", "0x1F", "1e-9", "12345678901234567890",
        "٣٤٥", "४२", "１２３", "Ⅳ", "¹²³", "½"};
    private static final String[] SPACES = {" ", " ", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2003",
        "\u2009", "\u202f", "\u3000", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2028", "\u2029", "\u0085", "\u000b",
        "\u000c", "\u001c", "\u001f", "\u180e", " \n ", "\t\t", "\n\n\n"};
    private static final String[] EMOJI = {"😀", "👍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "❤", "🇺🇸", "🇯🇵",
        "1️⃣", "👩🏿‍💻", "🧑‍🤝‍🧑", "☃", "🤖", "🦀", "🥰", "🫠", "🫶🏻", "⌚", "©️", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"};
    private static final String[] COMBINING = {"e\u0301", "a\u0308\u0323", "A\u030a", "n\u0303", "Tiếng Việt",
        "o\u0302\u0301", "Z\u0335\u0321\u0322a\u0336\u0358l\u0337g\u0334o", "\u0301", "\u20dd", "क्षि", "ﷺ",
        "ᄀ\u1161\u11a8", "가각", "\u0e01\u0e34\u0e4a", "ǖ"};
    private static final String[] CJK = {"中文字符", "日本語のテキスト", "ひらがな", "カタカナ", "한국어 텍스트", "ＡＢＣ",
        "漢字", "𠀀𠀁", "〇", "㐀", "豈", "丽", "ｶﾀｶﾅ", "中", "你好，世界！"};
    private static final String[] RTL = {"مرحبا بالعالم", "שלום עולם", "العربية", "فارسی", "اردو", "\u200f", "\u200e",
        "\u202b", "\u202c", "ﷲ", "א\u05b0", "\u0627\u0644\u0644\u0647"};
    private static final String[] SPECIALS = {"<s>", "</s>", "<pad>", "<unk>", "<mask>", " <mask>", "<mask> ",
        "<s", "</s >", "<<s>>", "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[sep]", "[SEP", "<|endoftext|>",
        "<unk>text<unk>", "</s></s>", "▁", "▁▁", "##", "##ing", "Ġ", "<0x41>"};
    private static final String[] ODD = {"\u0000", "\u0007", "\u001b", "\u007f", "\u0080", "\u009f", "\u00ad",
        "\ufffd", "\ue000", "\uf8ff", "\u0378", "\ufff0", "\ud83d", "\ude00", "\udbff\udbff", "x\ud800y", "\u2060",
        "\u206f", "\u034f", "\ufe0f", "\uFE00", "\u0600", "\u061c"};

    private FuzzCorpus() {
    }

    static List<String> generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(one(r));
        }
        return out;
    }

    private static String one(SplittableRandom r) {
        int shape = r.nextInt(100);
        int fragments = shape < 3 ? 0 : shape < 80 ? 1 + r.nextInt(6) : shape < 99 ? 6 + r.nextInt(15)
                : 30 + r.nextInt(50);
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < fragments; f++) {
            appendFragment(sb, r);
            if (r.nextInt(3) > 0) {
                sb.append(r.nextInt(8) == 0 ? pick(SPACES, r) : " ");
            }
        }
        if (shape >= 99 && r.nextBoolean()) {
            // One very long word: past WordPiece's 100-character limit and the word caches' length limit.
            sb.append(longWord(r, 100 + r.nextInt(300)));
        }
        return sb.toString();
    }

    private static void appendFragment(StringBuilder sb, SplittableRandom r) {
        int k = r.nextInt(100);
        if (k < 35) {
            sb.append(pick(WORDS, r));
        } else if (k < 45) {
            sb.append(randomWord(r));
        } else if (k < 53) {
            sb.append(pick(PUNCT, r));
            if (r.nextBoolean()) {
                sb.append(pick(PUNCT, r));
            }
        } else if (k < 60) {
            sb.append(pick(DIGITS, r));
        } else if (k < 66) {
            sb.append(pick(SPACES, r));
        } else if (k < 72) {
            sb.append(pick(EMOJI, r));
        } else if (k < 77) {
            sb.append(pick(COMBINING, r));
        } else if (k < 82) {
            sb.append(pick(CJK, r));
        } else if (k < 86) {
            sb.append(pick(RTL, r));
        } else if (k < 93) {
            sb.append(pick(SPECIALS, r));
        } else if (k < 96) {
            sb.append(pick(ODD, r));
        } else if (k < 98) {
            sb.append(longWord(r, 20 + r.nextInt(60)));
        } else {
            sb.appendCodePoint(randomCodePoint(r));
        }
    }

    private static String randomWord(SplittableRandom r) {
        int n = 1 + r.nextInt(14);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) ('a' + r.nextInt(26));
            sb.append(r.nextInt(6) == 0 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    private static String longWord(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        String alphabet = r.nextBoolean() ? "abcdefghijklmnopqrstuvwxyz" : "aeiouxyzéü0123456789_";
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** An assigned code point from a long-established block (Latin to CJK, symbols, emoji). */
    private static int randomCodePoint(SplittableRandom r) {
        int[][] blocks = {{0x20, 0x7E}, {0xA0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x590, 0x5FF},
            {0x600, 0x6FF}, {0x900, 0x97F}, {0xE00, 0xE7F}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x2190, 0x21FF},
            {0x2200, 0x22FF}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xFF00, 0xFFEF},
            {0x1F300, 0x1F5FF}, {0x1F600, 0x1F64F}};
        int[] b = blocks[r.nextInt(blocks.length)];
        return b[0] + r.nextInt(b[1] - b[0] + 1);
    }

    private static String pick(String[] options, SplittableRandom r) {
        return options[r.nextInt(options.length)];
    }
}

package dev.rerank4j.tokenizer;

import java.util.Arrays;

/**
 * The general categories BERT's normalizer and pre-tokenizer see in the Rust {@code tokenizers} library, which takes
 * them from Unicode 8.0 tables (the {@code unicode_categories} crate): code points assigned since then are
 * uncategorized there, and four changed category. Everything else agrees with the JDK.
 *
 * <p>The table was produced by {@code BertUnicodeTableGenerator} (test scope) by probing the Rust library with every
 * code point; {@code BertUnicodeTableTest} checks it still holds.
 */
final class BertCategories {
    /** Category class: no special role (letters, symbols, and everything uncategorized). */
    static final int NONE = 0;
    static final int PUNCTUATION = 1;
    /** Control, format, private use, surrogate: dropped by clean_text. */
    static final int OTHER = 2;
    /** Nonspacing mark: dropped by strip_accents. */
    static final int NONSPACING_MARK = 3;

    /** {@code first, last, class} triples, sorted, for code points whose Unicode 8.0 class differs from the JDK's. */
    private static final int[] OVERRIDES = {
        0x61D, 0x61D, NONE,
        0x7FD, 0x7FD, NONE,
        0x890, 0x891, NONE,
        0x897, 0x89F, NONE,
        0x8CA, 0x8E2, NONE,
        0x9FD, 0x9FE, NONE,
        0xA76, 0xA76, NONE,
        0xAFA, 0xAFF, NONE,
        0xB55, 0xB55, NONE,
        0xC04, 0xC04, NONE,
        0xC3C, 0xC3C, NONE,
        0xC77, 0xC77, NONE,
        0xC84, 0xC84, NONE,
        0xD00, 0xD00, NONE,
        0xD3B, 0xD3C, NONE,
        0xD81, 0xD81, NONE,
        0xEBA, 0xEBA, NONE,
        0xECE, 0xECE, NONE,
        0x166D, 0x166D, PUNCTUATION,
        0x1734, 0x1734, NONSPACING_MARK,
        0x180F, 0x180F, NONE,
        0x1885, 0x1886, NONE,
        0x1ABF, 0x1ACE, NONE,
        0x1B4E, 0x1B4F, NONE,
        0x1B7D, 0x1B7F, NONE,
        0x1DF6, 0x1DFB, NONE,
        0x2E43, 0x2E4F, NONE,
        0x2E52, 0x2E5D, NONE,
        0xA82C, 0xA82C, NONE,
        0xA8C5, 0xA8C5, NONE,
        0xA8FF, 0xA8FF, NONE,
        0xA9BD, 0xA9BD, NONE,
        0x10D24, 0x10D27, NONE,
        0x10D69, 0x10D6E, NONE,
        0x10EAB, 0x10EAD, NONE,
        0x10EFC, 0x10EFF, NONE,
        0x10F46, 0x10F50, NONE,
        0x10F55, 0x10F59, NONE,
        0x10F82, 0x10F89, NONE,
        0x11070, 0x11070, NONE,
        0x11073, 0x11074, NONE,
        0x110C2, 0x110C2, NONE,
        0x110CD, 0x110CD, NONE,
        0x111C9, 0x111C9, PUNCTUATION,
        0x111CF, 0x111CF, NONE,
        0x1123E, 0x1123E, NONE,
        0x11241, 0x11241, NONE,
        0x1133B, 0x1133B, NONE,
        0x113BB, 0x113C0, NONE,
        0x113CE, 0x113CE, NONE,
        0x113D0, 0x113D0, NONE,
        0x113D2, 0x113D2, NONE,
        0x113D4, 0x113D5, NONE,
        0x113D7, 0x113D8, NONE,
        0x113E1, 0x113E2, NONE,
        0x11438, 0x1143F, NONE,
        0x11442, 0x11444, NONE,
        0x11446, 0x11446, NONE,
        0x1144B, 0x1144F, NONE,
        0x1145A, 0x1145B, NONE,
        0x1145D, 0x1145E, NONE,
        0x11660, 0x1166C, NONE,
        0x116B9, 0x116B9, NONE,
        0x1171E, 0x1171E, NONSPACING_MARK,
        0x1182F, 0x11837, NONE,
        0x11839, 0x1183B, NONE,
        0x1193B, 0x1193C, NONE,
        0x1193E, 0x1193E, NONE,
        0x11943, 0x11946, NONE,
        0x119D4, 0x119D7, NONE,
        0x119DA, 0x119DB, NONE,
        0x119E0, 0x119E0, NONE,
        0x119E2, 0x119E2, NONE,
        0x11A01, 0x11A0A, NONE,
        0x11A33, 0x11A38, NONE,
        0x11A3B, 0x11A47, NONE,
        0x11A51, 0x11A56, NONE,
        0x11A59, 0x11A5B, NONE,
        0x11A8A, 0x11A96, NONE,
        0x11A98, 0x11A9C, NONE,
        0x11A9E, 0x11AA2, NONE,
        0x11B00, 0x11B09, NONE,
        0x11BE1, 0x11BE1, NONE,
        0x11C30, 0x11C36, NONE,
        0x11C38, 0x11C3D, NONE,
        0x11C3F, 0x11C3F, NONE,
        0x11C41, 0x11C45, NONE,
        0x11C70, 0x11C71, NONE,
        0x11C92, 0x11CA7, NONE,
        0x11CAA, 0x11CB0, NONE,
        0x11CB2, 0x11CB3, NONE,
        0x11CB5, 0x11CB6, NONE,
        0x11D31, 0x11D36, NONE,
        0x11D3A, 0x11D3A, NONE,
        0x11D3C, 0x11D3D, NONE,
        0x11D3F, 0x11D45, NONE,
        0x11D47, 0x11D47, NONE,
        0x11D90, 0x11D91, NONE,
        0x11D95, 0x11D95, NONE,
        0x11D97, 0x11D97, NONE,
        0x11EF3, 0x11EF4, NONE,
        0x11EF7, 0x11EF8, NONE,
        0x11F00, 0x11F01, NONE,
        0x11F36, 0x11F3A, NONE,
        0x11F40, 0x11F40, NONE,
        0x11F42, 0x11F4F, NONE,
        0x11F5A, 0x11F5A, NONE,
        0x11FFF, 0x11FFF, NONE,
        0x12FF1, 0x12FF2, NONE,
        0x13430, 0x13440, NONE,
        0x13447, 0x13455, NONE,
        0x1611E, 0x16129, NONE,
        0x1612D, 0x1612F, NONE,
        0x16D6D, 0x16D6F, NONE,
        0x16E97, 0x16E9A, NONE,
        0x16F4F, 0x16F4F, NONE,
        0x16FE2, 0x16FE2, NONE,
        0x16FE4, 0x16FE4, NONE,
        0x1CF00, 0x1CF2D, NONE,
        0x1CF30, 0x1CF46, NONE,
        0x1E000, 0x1E006, NONE,
        0x1E008, 0x1E018, NONE,
        0x1E01B, 0x1E021, NONE,
        0x1E023, 0x1E024, NONE,
        0x1E026, 0x1E02A, NONE,
        0x1E08F, 0x1E08F, NONE,
        0x1E130, 0x1E136, NONE,
        0x1E2AE, 0x1E2AE, NONE,
        0x1E2EC, 0x1E2EF, NONE,
        0x1E4EC, 0x1E4EF, NONE,
        0x1E5EE, 0x1E5EF, NONE,
        0x1E5FF, 0x1E5FF, NONE,
        0x1E944, 0x1E94A, NONE,
        0x1E95E, 0x1E95F, NONE,
    };
    private static final int[] STARTS = starts();

    private BertCategories() {
    }

    private static int[] starts() {
        int[] s = new int[OVERRIDES.length / 3];
        for (int i = 0; i < s.length; i++) {
            s[i] = OVERRIDES[3 * i];
        }
        return s;
    }

    /** The class of {@code c} as the Rust library sees it. */
    static int of(int c) {
        if (c >= 0x61D) {
            int i = Arrays.binarySearch(STARTS, c);
            int row = i >= 0 ? i : -i - 2;
            if (row >= 0 && c <= OVERRIDES[3 * row + 1]) {
                return OVERRIDES[3 * row + 2];
            }
        }
        return classOf(Character.getType(c));
    }

    /** The class of a JDK general category (Unassigned is not "other": the Rust tables never report it). */
    static int classOf(int type) {
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> OTHER;
            case Character.NON_SPACING_MARK -> NONSPACING_MARK;
            default -> NONE;
        };
    }
}

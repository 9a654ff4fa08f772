package dev.rerank4j.tokenizer;

/**
 * Character classes as the Rust {@code tokenizers} library sees them. Java's own predicates differ
 * ({@link Character#isWhitespace} excludes NBSP and includes U+001C..U+001F), so each rule is spelt out here.
 */
final class Chars {
    private Chars() {
    }

    /** The Unicode White_Space property, which Rust's {@code char::is_whitespace} and regex {@code \s} use. */
    static boolean isWhiteSpace(int c) {
        if (c <= 0x20) {
            return c == 0x20 || (c >= 0x09 && c <= 0x0D);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    static boolean isLetter(int c) {
        if (c < 0x80) {
            return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        }
        return Character.isLetter(c);
    }

    static boolean isNumber(int c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        int t = Character.getType(c);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** BERT's punctuation: every ASCII non-alphanumeric printable plus Unicode P* (as of Unicode 8.0). */
    static boolean isBertPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        return BertCategories.of(c) == BertCategories.PUNCTUATION;
    }

    /** The CJK blocks BERT surrounds with spaces. */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** Regex {@code \w}: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int c) {
        if (c < 0x80) {
            return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
        }
        int t = Character.getType(c);
        return Character.isAlphabetic(c) || t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK
                || t == Character.COMBINING_SPACING_MARK || t == Character.DECIMAL_DIGIT_NUMBER
                || t == Character.CONNECTOR_PUNCTUATION || c == 0x200C || c == 0x200D;
    }
}

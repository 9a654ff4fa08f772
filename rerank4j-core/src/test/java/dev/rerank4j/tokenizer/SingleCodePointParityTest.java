package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every code point whose category can matter (punctuation, marks, controls, format, private use, and everything the
 * Unicode 8.0 override table names), embedded between letters, digits, punctuation and spaces, encodes exactly as
 * in the Rust library. {@code BertUnicodeTableGenerator} runs the same probe over all 1.1 million code points.
 */
class SingleCodePointParityTest {

    @Test
    void bertCategoriesMatchTheRustTables() {
        assertNoDifferences(TestTokenizers.miniLmJson());
    }

    @Test
    void byteLevelClassesMatchTheRustRegex() {
        assertNoDifferences(TestTokenizers.JINABERT_JSON);
    }

    private static void assertNoDifferences(Path json) {
        Tokenizer ours = Tokenizer.fromJson(json, null);
        List<String> differences = new ArrayList<>();
        int probed = 0;
        try (HfOracle hf = new HfOracle(json)) {
            for (int c = 0; c <= 0x10FFFF; c++) {
                if (!interesting(c)) {
                    continue;
                }
                probed++;
                String ch = new String(Character.toChars(c));
                String s = "a" + ch + "1" + ch + "!" + ch + " " + ch + "é" + ch + ch;
                long[] expected = hf.ids(s, false);
                long[] actual = Arrays.stream(ours.encode(s, false, Truncation.none()).ids()).asLongStream().toArray();
                if (!Arrays.equals(expected, actual) && differences.size() < 20) {
                    differences.add(String.format("U+%04X", c));
                }
            }
        }
        assertThat(probed).isGreaterThan(10_000);
        assertThat(differences).isEmpty();
    }

    private static boolean interesting(int c) {
        if (c >= 0xD800 && c <= 0xDFFF) {
            return false;
        }
        if (BertCategories.of(c) != BertCategories.classOf(Character.getType(c))) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UNASSIGNED -> c < 0x30000 && (c & 0x3F) == 0;
            case Character.PRIVATE_USE -> (c & 0xFFF) == 0;
            case Character.OTHER_LETTER, Character.OTHER_SYMBOL, Character.OTHER_NUMBER -> (c & 0xF) == 0;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.LETTER_NUMBER, Character.DECIMAL_DIGIT_NUMBER,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL -> (c & 0x3) == 0;
            default -> true;
        };
    }
}

package dev.rerank4j.tokenizer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Regenerates {@code BertCategories.OVERRIDES}: the code points whose general category, as the Rust
 * {@code tokenizers} BERT normalizer and pre-tokenizer see it (the {@code unicode_categories} crate, Unicode 8.0
 * tables), differs in what it makes BERT do from the JDK's current category. Each code point is classified by
 * what the Rust library does to {@code "a" + c + "a"}: drops it, isolates it as punctuation, or keeps it in the word.
 * Run with the path of a lower-casing BERT tokenizer.json (all-MiniLM-L6-v2's) as the only argument; paste the
 * output into BertCategories.java.
 */
public final class BertUnicodeTableGenerator {
    private BertUnicodeTableGenerator() {
    }

    public static void main(String[] args) {
        Path json = Path.of(args[0]);
        Tokenizer ours = Tokenizer.fromJson(json, null);
        StringBuilder table = new StringBuilder();
        try (HfOracle hf = new HfOracle(json)) {
            long[] a = hf.ids("a", false);
            long[] aa = hf.ids("aa", false);
            int runStart = -1;
            int runClass = -1;
            int count = 0;
            for (int c = 0; c <= 0x10FFFF + 1; c++) {
                int cls = -1;
                if (c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF)) {
                    String s = "a" + new String(Character.toChars(c)) + "a";
                    long[] expected = hf.ids(s, false);
                    long[] actual = Arrays.stream(ours.encode(s, false, Truncation.none()).ids()).asLongStream()
                            .toArray();
                    if (!Arrays.equals(expected, actual)) {
                        cls = classify(c, expected, a[0], aa);
                        count++;
                    }
                }
                if (cls != runClass) {
                    if (runClass >= 0) {
                        table.append(String.format("0x%X, 0x%X, %s,%n", runStart, c - 1, NAMES[runClass]));
                    }
                    runStart = c;
                    runClass = cls;
                }
            }
            System.out.print(table);
            System.out.println("// " + count + " code points");
        }
    }

    private static final String[] NAMES = {"NONE", "PUNCTUATION", "OTHER", "NONSPACING_MARK"};

    private static int classify(int c, long[] ids, long a, long[] aa) {
        if (Arrays.equals(ids, aa)) {
            int t = Character.getType(c);
            return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK ? 3 : 2;
        }
        if (ids.length == 3 && ids[0] == a && ids[2] == a) {
            return 1;
        }
        return 0;
    }
}

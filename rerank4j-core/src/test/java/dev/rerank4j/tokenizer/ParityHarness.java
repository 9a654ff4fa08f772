package dev.rerank4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the same inputs through our tokenizer and the Rust library and lists every difference. */
final class ParityHarness {
    private static final int[] MAX_LENGTHS = {5, 8, 16, 33, 64, 128, 512};
    private static final Truncation.Strategy[] STRATEGIES = Truncation.Strategy.values();

    private final Tokenizer ours;
    private final HfOracle oracle;
    private static final int DETAILED = 10;
    private final List<String> mismatches = new ArrayList<>();
    private int mismatchCount;
    private int comparisons;

    ParityHarness(Tokenizer ours, HfOracle oracle) {
        this.ours = ours;
        this.oracle = oracle;
    }

    /**
     * One comparison per string, cycling through: alone, paired, alone truncated, paired truncated (the length and
     * strategy of truncation rotate too); every tenth string is paired without special tokens instead.
     */
    void run(List<String> corpus) {
        int n = corpus.size();
        for (int i = 0; i < n; i++) {
            String a = corpus.get(i);
            String b = corpus.get((int) ((i * 7L + 3) % n));
            if (i % 10 == 9) {
                compare(i, a, b, false, 0, Truncation.Strategy.LONGEST_FIRST);
                continue;
            }
            int max = MAX_LENGTHS[(i / 4) % MAX_LENGTHS.length];
            Truncation.Strategy strategy = STRATEGIES[(i / 4 / MAX_LENGTHS.length) % STRATEGIES.length];
            switch (i % 4) {
                case 0 -> compare(i, a, null, true, 0, Truncation.Strategy.LONGEST_FIRST);
                case 1 -> compare(i, a, b, true, 0, Truncation.Strategy.LONGEST_FIRST);
                case 2 -> compare(i, a, strategy == Truncation.Strategy.ONLY_SECOND ? b : null, true, max, strategy);
                default -> compare(i, a, b, true, max, strategy);
            }
        }
    }

    /** Runs the corpus through both tokenizers of {@code json} and fails on any difference. */
    static void assertParity(java.nio.file.Path json, List<String> corpus, int expectedComparisons) {
        Tokenizer ours = Tokenizer.fromJson(json, null);
        try (HfOracle oracle = new HfOracle(json)) {
            ParityHarness h = new ParityHarness(ours, oracle);
            h.run(corpus);
            org.assertj.core.api.Assertions.assertThat(h.comparisons()).isEqualTo(expectedComparisons);
            org.assertj.core.api.Assertions.assertThat(h.mismatchCount())
                    .as(h.mismatchCount() + " mismatches, first: " + String.join("\n", h.mismatches())).isZero();
        }
    }

    int comparisons() {
        return comparisons;
    }

    int mismatchCount() {
        return mismatchCount;
    }

    /** Details of the first few mismatches. */
    List<String> mismatches() {
        return mismatches;
    }

    private void mismatch(java.util.function.Supplier<String> details) {
        if (mismatchCount++ < DETAILED) {
            mismatches.add(details.get());
        }
    }

    private void compare(int index, String a, String b, boolean special, int max, Truncation.Strategy strategy) {
        comparisons++;
        // The Rust side can only ever see valid UTF-8: give it the round trip of what we get.
        HfOracle.Result expected = oracle.encode(roundTrip(a), b == null ? null : roundTrip(b), special, max, strategy);
        Truncation truncation = max == 0 ? Truncation.none()
                : new Truncation(max, strategy, Truncation.Direction.RIGHT);
        String actualError = null;
        Encoding actual = null;
        try {
            actual = b == null ? ours.encode(a, special, truncation) : ours.encodePair(a, b, special, truncation);
        } catch (IllegalArgumentException e) {
            actualError = e.getMessage();
        }
        java.util.function.Supplier<String> what = () -> "#" + index + " special=" + special + " max=" + max + " " + strategy + " a=" + escape(a)
                + (b == null ? "" : "\n  b=" + escape(b));
        if (expected.error() != null || actualError != null) {
            if (expected.error() == null || actualError == null) {
                String ourError = actualError;
                mismatch(() -> what.get() + "\n  hf error: " + expected.error() + "\n  our error: " + ourError);
            }
            return;
        }
        long[] ids = Arrays.stream(actual.ids()).asLongStream().toArray();
        long[] types = Arrays.stream(actual.typeIds()).asLongStream().toArray();
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        if (!Arrays.equals(ids, expected.ids()) || !Arrays.equals(types, expected.typeIds())
                || !Arrays.equals(mask, expected.attentionMask())) {
            Encoding got = actual;
            mismatch(() -> what.get() + "\n" + divergence(expected, got));
        }
    }

    /** Where the two results part: a window of ids and of our tokens around the first difference. */
    private String divergence(HfOracle.Result expected, Encoding got) {
        long[] e = expected.ids();
        int[] a = got.ids();
        int first = 0;
        while (first < e.length && first < a.length && e[first] == a[first]
                && expected.typeIds()[first] == got.typeIds()[first]) {
            first++;
        }
        int from = Math.max(0, first - 4);
        int[] ourIds = Arrays.copyOfRange(a, from, Math.min(a.length, first + 8));
        long[] hfIds = Arrays.copyOfRange(e, from, Math.min(e.length, first + 8));
        String text = first < a.length ? "our token " + first + " covers [" + got.start(first) + ", " + got.end(first)
                + ")" : "";
        return "  lengths hf " + e.length + " ours " + a.length + ", first difference at " + first + " " + text
                + "\n  hf:  " + Arrays.toString(hfIds) + " " + tokens(Arrays.stream(hfIds).mapToInt(x -> (int) x)
                .toArray()) + "\n  our: " + Arrays.toString(ourIds) + " " + tokens(ourIds);
    }

    private String tokens(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(escape(String.valueOf(ours.idToToken(id)))).append(' ');
        }
        return sb.toString();
    }

    /** UTF-8 encoding with U+FFFD for unpaired surrogates (Java's own encoder would write '?'), decoded back. */
    static String roundTrip(String s) {
        try {
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .replaceWith(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD})
                    .encode(java.nio.CharBuffer.wrap(s));
            return StandardCharsets.UTF_8.decode(bytes).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F) {
                sb.appendCodePoint(c);
            } else {
                sb.append(String.format("\\u{%X}", c));
            }
        });
        return sb.append('"').toString();
    }
}

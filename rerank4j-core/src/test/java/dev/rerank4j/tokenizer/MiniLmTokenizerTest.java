package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 (WordPiece, BERT normalizer, template post-processor); expected ids from HF tokenizers. */
class MiniLmTokenizerTest {
    private final Tokenizer tokenizer = Tokenizer.fromJson(TestTokenizers.miniLmJson(), null);

    @Test
    void pairsGetClsSepAndSegmentIds() {
        Encoding e = tokenizer.encodePair("Hello, World! Héllo naïve café", "second text here", Truncation.none());
        assertThat(e.ids()).containsExactly(101, 7592, 1010, 2088, 999, 7592, 15743, 7668, 102, 2117, 3793, 2182, 102);
        assertThat(e.typeIds()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(e.specialTokensMask()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void cjkIsSpacedAndUnknownsAndLiteralSpecialsAreHandled() {
        assertThat(tokenizer.encode("UNwant\u00e9d,running 中文字 \u00a0x\ty", Truncation.none()).ids())
                .containsExactly(101, 18162, 1010, 2770, 1746, 1861, 100, 1060, 1061, 102);
        assertThat(tokenizer.encode("a [SEP] b [MASK]", Truncation.none()).ids())
                .containsExactly(101, 1037, 102, 1038, 103, 102);
    }

    @Test
    void offsetsPointIntoTheOriginalText() {
        String text = "Héllo, WORLD";
        Encoding e = tokenizer.encode(text, false, Truncation.none());
        assertThat(e.ids()).hasSize(3);
        assertThat(text.substring(e.start(0), e.end(0))).isEqualTo("Héllo");
        assertThat(text.substring(e.start(1), e.end(1))).isEqualTo(",");
        assertThat(text.substring(e.start(2), e.end(2))).isEqualTo("WORLD");
    }

    @Test
    void truncationCountsSpecialTokensAndPaddingMasks() {
        Encoding longer = tokenizer.encodePair("one two three four five", "six seven", Truncation.longestFirst(8));
        assertThat(longer.ids()).containsExactly(101, 2028, 2048, 2093, 102, 2416, 2698, 102);
        Encoding shorter = tokenizer.encode("six", Truncation.none());
        BatchEncoding batch = tokenizer.pad(java.util.List.of(longer, shorter));
        assertThat(batch.ids()[1]).containsExactly(101, 2416, 102, 0, 0, 0, 0, 0);
        assertThat(batch.attentionMask()[1]).containsExactly(1, 1, 1, 0, 0, 0, 0, 0);
        assertThat(batch.typeIds()[0]).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
    }
}

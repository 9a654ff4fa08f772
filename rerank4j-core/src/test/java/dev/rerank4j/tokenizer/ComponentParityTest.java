package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each remaining normalizer, pre-tokenizer, post-processor and added-token option matches the Rust library. */
class ComponentParityTest {
    private static final List<String> CORPUS = FuzzCorpus.generate(1_500, 4242L);

    @TempDir
    Path dir;

    @Test
    void nfdStripAccentsPunctuationDigitsBertProcessingAndAddedTokenOptions() {
        ParityHarness.assertParity(ComponentFixtures.wordPieceUnicodeForms(dir), CORPUS, 1_500);
    }

    @Test
    void nfkcReplacePrependWhitespaceRegexSplitAndCharDelimiter() {
        ParityHarness.assertParity(ComponentFixtures.wordPieceSplits(dir), CORPUS, 1_500);
    }

    @Test
    void nfcNfkdLiteralSplitInvertedContiguousAndDigitRuns() {
        ParityHarness.assertParity(ComponentFixtures.wordPieceBehaviours(dir), CORPUS, 1_500);
    }

    @Test
    void bpeWithContinuingSubwordPrefixByteFallbackAndIgnoreMerges() {
        ParityHarness.assertParity(ComponentFixtures.bpeWithPrefix(dir), CORPUS, 1_500);
    }

    @Test
    void bpeWithEndOfWordSuffixAndFusedUnknowns() {
        ParityHarness.assertParity(ComponentFixtures.bpeWithSuffix(dir), CORPUS, 1_500);
    }

    @Test
    void bpeVariantsMergeFallBackToBytesAndMarkWordEnds() {
        Tokenizer prefix = Tokenizer.fromJson(ComponentFixtures.bpeWithPrefix(dir), null);
        // "unwanted" is a vocabulary word, so ignore_merges takes it whole.
        assertThat(pieces(prefix, "unwanted reranking 🦀")).isEqualTo("unwanted r ##er ##an ##k ##ing <0xF0> "
                + "<0x9F> <0xA6> <0x80>");
        Tokenizer suffix = Tokenizer.fromJson(ComponentFixtures.bpeWithSuffix(dir), null);
        // Two unknown characters in a row fuse into one [UNK].
        assertThat(pieces(suffix, "hello worlds 🦀🦀")).isEqualTo("he llo</w> w or l ds</w> [UNK]");
    }

    private static String pieces(Tokenizer t, String text) {
        StringBuilder sb = new StringBuilder();
        for (int id : t.encode(text, false, Truncation.none()).ids()) {
            sb.append(sb.isEmpty() ? "" : " ").append(t.idToToken(id));
        }
        return sb.toString();
    }

    @Test
    void llamaStyleSplitByteLevelWithoutRegexAndSequencePostProcessor() {
        ParityHarness.assertParity(ComponentFixtures.byteLevelLlamaLayout(dir), CORPUS, 1_500);
    }
}

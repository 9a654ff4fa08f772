package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each remaining normalizer, pre-tokenizer, post-processor and added-token option matches the Rust library. */
class ComponentParityTest {
    private static final List<String> CORPUS = FuzzCorpus.generate(2_500, 4242L);

    @TempDir
    Path dir;

    @Test
    void nfdStripAccentsPunctuationDigitsBertProcessingAndAddedTokenOptions() {
        assertParity(ComponentFixtures.wordPieceUnicodeForms(dir));
    }

    @Test
    void nfkcReplacePrependWhitespaceRegexSplitAndCharDelimiter() {
        assertParity(ComponentFixtures.wordPieceSplits(dir));
    }

    @Test
    void nfcNfkdLiteralSplitInvertedContiguousAndDigitRuns() {
        assertParity(ComponentFixtures.wordPieceBehaviours(dir));
    }

    @Test
    void llamaStyleSplitByteLevelWithoutRegexAndSequencePostProcessor() {
        assertParity(ComponentFixtures.byteLevelLlamaLayout(dir));
    }

    private static void assertParity(Path json) {
        Tokenizer ours = Tokenizer.fromJson(json, null);
        try (HfOracle oracle = new HfOracle(json)) {
            ParityHarness h = new ParityHarness(ours, oracle);
            h.run(CORPUS);
            assertThat(h.comparisons()).isEqualTo(5_000);
            assertThat(h.mismatchCount()).as(h.mismatchCount() + " mismatches, first: "
                    + String.join("\n", h.mismatches())).isZero();
        }
    }
}

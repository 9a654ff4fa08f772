package dev.rerank4j.tokenizer;

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
        ParityHarness.assertParity(ComponentFixtures.wordPieceUnicodeForms(dir), CORPUS, 2_500);
    }

    @Test
    void nfkcReplacePrependWhitespaceRegexSplitAndCharDelimiter() {
        ParityHarness.assertParity(ComponentFixtures.wordPieceSplits(dir), CORPUS, 2_500);
    }

    @Test
    void nfcNfkdLiteralSplitInvertedContiguousAndDigitRuns() {
        ParityHarness.assertParity(ComponentFixtures.wordPieceBehaviours(dir), CORPUS, 2_500);
    }

    @Test
    void llamaStyleSplitByteLevelWithoutRegexAndSequencePostProcessor() {
        ParityHarness.assertParity(ComponentFixtures.byteLevelLlamaLayout(dir), CORPUS, 2_500);
    }
}

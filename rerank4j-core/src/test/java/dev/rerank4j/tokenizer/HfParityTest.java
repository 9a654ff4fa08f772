package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zero differences from the Rust Hugging Face library over a 20,000-string fuzz corpus: ids, type ids and
 * attention masks, single texts and pairs, with and without truncation.
 */
class HfParityTest {
    private static final List<String> CORPUS = FuzzCorpus.generate(20_000, 20_240_611L);

    @Test
    void byteLevelBpeMatchesHuggingFace() {
        assertParity(TestTokenizers.JINABERT_JSON);
    }

    @Test
    void wordPieceMatchesHuggingFace() {
        assertParity(TestTokenizers.miniLmJson());
    }

    private static void assertParity(Path tokenizerJson) {
        Tokenizer ours = Tokenizer.fromJson(tokenizerJson, null);
        try (HfOracle oracle = new HfOracle(tokenizerJson)) {
            ParityHarness h = new ParityHarness(ours, oracle);
            h.run(CORPUS);
            assertThat(h.comparisons()).isEqualTo(40_000);
            assertThat(h.mismatchCount()).as(h.mismatchCount() + " mismatches, first: "
                    + String.join("\n", h.mismatches())).isZero();
        }
    }
}

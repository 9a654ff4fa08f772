package dev.rerank4j.tokenizer;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zero differences from the Rust Hugging Face library over a 20,000-string fuzz corpus: ids, type ids and
 * attention masks, single texts and pairs, with and without truncation (see {@link ParityHarness#run}).
 */
class HfParityTest {
    private static final List<String> CORPUS = FuzzCorpus.generate(20_000, 20_240_611L);

    @Test
    void byteLevelBpeMatchesHuggingFace() {
        ParityHarness.assertParity(TestTokenizers.JINABERT_JSON, CORPUS, 20_000);
    }

    @Test
    void wordPieceMatchesHuggingFace() {
        ParityHarness.assertParity(TestTokenizers.miniLmJson(), CORPUS, 20_000);
    }
}

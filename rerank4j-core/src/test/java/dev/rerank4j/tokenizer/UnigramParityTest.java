package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SentencePiece Unigram with a precompiled charsmap and Metaspace, against the Rust library: the 20,000-string fuzz
 * corpus on the XLM-R-style tokenizer, a smaller corpus on the byte-fallback variant.
 */
class UnigramParityTest {

    @TempDir
    Path dir;

    @Test
    void xlmRobertaStyleUnigramMatchesHuggingFace() {
        ParityHarness.assertParity(UnigramFixture.xlmRobertaStyle(dir), FuzzCorpus.generate(20_000, 20_240_611L),
                20_000);
    }

    @Test
    void byteFallbackUnigramMatchesHuggingFace() {
        ParityHarness.assertParity(UnigramFixture.byteFallbackStyle(dir), FuzzCorpus.generate(4_000, 99L), 4_000);
    }

    @Test
    void charsMapRulesAreApplied() {
        Tokenizer t = Tokenizer.fromJson(UnigramFixture.xlmRobertaStyle(dir), null);
        Encoding e = t.encode("ＡＢＣ\u00a0ﬁne\u200b", false, Truncation.none());
        StringBuilder pieces = new StringBuilder();
        for (int id : e.ids()) {
            pieces.append(t.idToToken(id)).append('|');
        }
        assertThat(pieces.toString()).isEqualTo("▁A|B|C|▁fine|");
        assertThat(UnigramFixture.charsMap().size()).isGreaterThan(1000);
    }
}

package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.Golden;
import org.junit.jupiter.api.Test;

/** modernbert-mini's byte-level BPE with the [CLS] A [SEP] B [SEP] template, against the Rust tokenizers' ids. */
class ModernBertTokenizerTest {

    @Test
    void everyGoldenPairEncodesToTheRecordedIds() {
        Tokenizer tokenizer = Tokenizer.load(Golden.MODERNBERT_MINI);
        int longest = 0;
        for (Golden.Pair p : Golden.pairs(Golden.MODERNBERT_MINI)) {
            Encoding e = tokenizer.encodePair(p.query(), p.document(), Truncation.none());
            assertThat(e.ids()).as(p.id()).containsExactly(p.inputIds());
            assertThat(e.typeIds()).as(p.id()).containsExactly(p.typeIds());
            longest = Math.max(longest, e.length());
        }
        assertThat(longest).isEqualTo(2000);
    }

    @Test
    void specialTokensAreModernBertsOwn() {
        Tokenizer tokenizer = Tokenizer.load(Golden.MODERNBERT_MINI);
        assertThat(tokenizer.tokenToId("[CLS]")).hasValue(50281);
        assertThat(tokenizer.tokenToId("[SEP]")).hasValue(50282);
        assertThat(tokenizer.padId()).isEqualTo(50283);
        assertThat(tokenizer.modelMaxLength()).hasValue(8192);
        assertThat(tokenizer.specialTokenCount(false)).isEqualTo(2);
        assertThat(tokenizer.specialTokenCount(true)).isEqualTo(3);
    }
}

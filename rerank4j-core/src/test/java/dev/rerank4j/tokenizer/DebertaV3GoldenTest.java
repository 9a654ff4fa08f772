package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DeBERTa-v3 tokenizer.json (Unigram; Strip, Precompiled nmt_nfkc and Replace normalizers; Metaspace;
 * {@code [CLS] A [SEP] B [SEP]}) reproduces the ids the Rust tokenizers library recorded in deberta-v3-mini's
 * golden.jsonl.
 */
class DebertaV3GoldenTest {

    @Test
    void everyGoldenPairEncodesToTheRecordedIdsAndTypes() {
        Tokenizer tokenizer = Tokenizer.load(Golden.DEBERTA_V3_MINI);
        List<Golden.Pair> pairs = Golden.pairs(Golden.DEBERTA_V3_MINI);
        assertThat(pairs).hasSize(21);
        int longest = 0;
        for (Golden.Pair p : pairs) {
            Encoding e = tokenizer.encodePair(p.query(), p.document(), Truncation.none());
            assertThat(e.ids()).as(p.id()).containsExactly(p.inputIds());
            assertThat(e.typeIds()).as(p.id()).containsExactly(p.typeIds());
            longest = Math.max(longest, e.length());
        }
        assertThat(longest).isEqualTo(511);
    }

    @Test
    void specialTokensAndLimitsAreRead() {
        Tokenizer tokenizer = Tokenizer.load(Golden.DEBERTA_V3_MINI);
        assertThat(tokenizer.modelMaxLength()).hasValue(512);
        assertThat(tokenizer.padId()).isZero();
        assertThat(tokenizer.tokenToId("[MASK]")).hasValue(5000);
        assertThat(tokenizer.idToToken(1)).isEqualTo("[CLS]");
        assertThat(tokenizer.specialTokenCount(true)).isEqualTo(3);
    }
}

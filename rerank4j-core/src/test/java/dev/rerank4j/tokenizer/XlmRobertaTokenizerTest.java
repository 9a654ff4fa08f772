package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xlmr-mini tokenizer (SentencePiece Unigram in XLM-R layout) as both generations of transformers'
 * {@code XLMRobertaConverter} write it, against the Rust library: the golden ids, then a fuzz corpus.
 */
class XlmRobertaTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NEWER = Golden.XLMR_MINI.resolve("tokenizer.json");

    @TempDir
    Path tmp;

    /**
     * The older converter's file (bge-reranker-base, multilingual-e5 ship it): Precompiled then Replace(" {2,}",
     * " ") with no Strip, and a Metaspace that predates prepend_scheme (add_prefix_space, str_rep).
     */
    private Path olderGeneration() throws IOException {
        ObjectNode t = (ObjectNode) JSON.readTree(Files.readString(NEWER));
        ArrayNode normalizers = (ArrayNode) t.path("normalizer").path("normalizers");
        assertThat(normalizers.findValuesAsText("type")).containsExactly("Precompiled", "Strip", "Replace");
        ObjectNode replace = (ObjectNode) normalizers.get(2);
        assertThat(replace.path("content").asText()).isEqualTo("▁");
        replace.put("content", " ");
        normalizers.remove(1);
        ObjectNode meta = JSON.createObjectNode().put("type", "Metaspace").put("replacement", "▁")
                .put("str_rep", "▁").put("add_prefix_space", true);
        t.set("pre_tokenizer", meta);
        Path f = tmp.resolve("older-tokenizer.json");
        Files.writeString(f, t.toString());
        return f;
    }

    /** Asserts the golden ids of every pair but those ending in whitespace (the older converter keeps it). */
    private static int assertGoldenIds(Tokenizer t, boolean trailingSpaceStripped) {
        int compared = 0;
        for (Golden.Pair p : Golden.pairs(Golden.XLMR_MINI)) {
            boolean trailing = !p.query().equals(p.query().stripTrailing())
                    || !p.document().equals(p.document().stripTrailing());
            if (trailing && !trailingSpaceStripped) {
                continue;
            }
            compared++;
            Encoding e = t.encodePair(p.query(), p.document(), Truncation.none());
            assertThat(e.ids()).as(p.id()).containsExactly(p.inputIds());
            assertThat(e.typeIds()).as(p.id()).containsOnly(0);
        }
        return compared;
    }

    @Test
    void newerGenerationGivesTheGoldenIdsAndMatchesTheRustLibrary() {
        Tokenizer t = Tokenizer.fromJson(NEWER, Golden.XLMR_MINI.resolve("tokenizer_config.json"));
        assertThat(assertGoldenIds(t, true)).isEqualTo(21);
        assertThat(t.specialTokenCount(true)).isEqualTo(4);
        assertThat(t.padId()).isEqualTo(1);
        assertThat(t.modelMaxLength()).hasValue(512);
        ParityHarness.assertParity(NEWER, FuzzCorpus.generate(3_000, 20_261_201L), 3_000);
    }

    @Test
    void olderGenerationGivesTheGoldenIdsAndMatchesTheRustLibrary() throws IOException {
        Path older = olderGeneration();
        assertThat(assertGoldenIds(Tokenizer.fromJson(older, null), false)).isEqualTo(19);
        ParityHarness.assertParity(older, FuzzCorpus.generate(3_000, 20_261_202L), 3_000);
    }

    @Test
    void theGenerationsDifferOnlyWhereTheStripDoes() throws IOException {
        Tokenizer newer = Tokenizer.fromJson(NEWER, null);
        Tokenizer older = Tokenizer.fromJson(olderGeneration(), null);
        String text = "Paris  est   belle";
        assertThat(older.encode(text, Truncation.none()).ids()).containsExactly(newer.encode(text, Truncation.none()).ids());
        // A trailing space: the newer converter strips it, the older one keeps it as a lone "▁".
        int[] keep = older.encode("Paris ", false, Truncation.none()).ids();
        int[] strip = newer.encode("Paris ", false, Truncation.none()).ids();
        assertThat(keep).hasSize(strip.length + 1);
        assertThat(older.idToToken(keep[keep.length - 1])).isEqualTo("▁");
    }
}

package dev.rerank4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading errors, surrogates, left truncation, offsets and configuration, on the real tokenizer files. */
class TokenizerBehaviourTest {
    private static final Tokenizer JINA = Tokenizer.load(TestTokenizers.JINABERT_DIR);
    private static final Tokenizer MINILM = Tokenizer.fromJson(TestTokenizers.miniLmJson(), null);

    @TempDir
    Path dir;

    @Test
    void unsupportedComponentsFailAtLoadNamingFileFieldAndType() {
        assertUnsupported("normalizer", "{\"type\": \"Cyrillic\"}", "normalizer type 'Cyrillic'");
        assertUnsupported("pre_tokenizer", "{\"type\": \"UnicodeScripts\"}", "pre_tokenizer type 'UnicodeScripts'");
        assertUnsupported("post_processor", "{\"type\": \"Fancy\"}", "post_processor type 'Fancy'");
        assertUnsupported("pre_tokenizer", "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Nope\"}]}",
                "pre_tokenizer.pretokenizers[0] type 'Nope'");
    }

    private void assertUnsupported(String field, String json, String message) {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        try {
            root.set(field, new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path file = TestTokenizers.writeTokenizerJson(root, dir.resolve(field + json.length()));
        assertThatThrownBy(() -> Tokenizer.fromJson(file, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void onigurumaScriptNamesInSplitRegexesWork() {
        ObjectNode root = TestTokenizers.readJson(TestTokenizers.miniLmJson());
        ObjectNode split = root.putObject("pre_tokenizer").put("type", "Split").put("behavior", "Isolated")
                .put("invert", false);
        split.putObject("pattern").put("Regex", "\\p{Han}+|\\p{Hiragana}+|\\P{L}");
        Path file = TestTokenizers.writeTokenizerJson(root, dir.resolve("scripts"));
        ParityHarness.assertParity(file, FuzzCorpus.generate(400, 3L), 400);
    }

    @Test
    void brokenFilesAreReportedWithTheirPath() throws IOException {
        Path missing = dir.resolve("nothing-here");
        assertThatThrownBy(() -> Tokenizer.load(missing)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.json");
        Path bad = dir.resolve("tokenizer.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}");
        assertThatThrownBy(() -> Tokenizer.fromJson(bad, null)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("merge 1 'a b'");
    }

    @Test
    void unpairedSurrogatesEncodeAsTheReplacementCharacter() {
        for (Tokenizer t : List.of(JINA, MINILM)) {
            Encoding lone = t.encode("x\uD800y \uDC00z \uD83D", Truncation.none());
            Encoding replaced = t.encode("x\uFFFDy \uFFFDz \uFFFD", Truncation.none());
            assertThat(lone.ids()).containsExactly(replaced.ids());
            assertThat(lone.offsets()).containsExactly(replaced.offsets());
        }
        // A valid pair stays one character.
        assertThat(JINA.encode("\uD83D\uDE00", false, Truncation.none()).ids())
                .containsExactly(JINA.encode("😀", false, Truncation.none()).ids());
    }

    @Test
    void leftTruncationKeepsTheEndOfEachSequence() {
        String q = "one two three four five six";
        String d = "alpha beta gamma delta epsilon zeta eta theta";
        int[] qIds = MINILM.encode(q, false, Truncation.none()).ids();
        int[] dIds = MINILM.encode(d, false, Truncation.none()).ids();
        Encoding e = MINILM.encodePair(q, d, new Truncation(11, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.LEFT));
        // 11 - 3 specials = 8 tokens: 4 each, the last 4 of each sequence.
        assertThat(e.ids()).containsExactly(101, qIds[2], qIds[3], qIds[4], qIds[5], 102,
                dIds[dIds.length - 4], dIds[dIds.length - 3], dIds[dIds.length - 2], dIds[dIds.length - 1], 102);
        Encoding onlySecond = MINILM.encodePair(q, d, new Truncation(12, Truncation.Strategy.ONLY_SECOND,
                Truncation.Direction.LEFT));
        assertThat(onlySecond.length()).isEqualTo(12);
        assertThat(onlySecond.ids()[onlySecond.length() - 2]).isEqualTo(dIds[dIds.length - 1]);
        assertThatThrownBy(() -> MINILM.encodePair(q, d, new Truncation(4, Truncation.Strategy.ONLY_FIRST,
                Truncation.Direction.RIGHT))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncationToOnlyTheSpecialTokensMatchesTheRustLibrary() {
        try (HfOracle hf = new HfOracle(TestTokenizers.miniLmJson())) {
            for (Truncation.Strategy strategy : Truncation.Strategy.values()) {
                HfOracle.Result expected = hf.encode("some query text", "a document", true, 3, strategy);
                Encoding e = MINILM.encodePair("some query text", "a document",
                        new Truncation(3, strategy, Truncation.Direction.RIGHT));
                assertThat(expected.error()).isNull();
                assertThat(Arrays.stream(e.ids()).asLongStream().toArray()).containsExactly(expected.ids());
                assertThat(e.ids()).containsExactly(101, 102, 102);
            }
        }
    }

    @Test
    void concurrentEncodingGivesTheSameResults() throws Exception {
        List<String> texts = FuzzCorpus.generate(400, 11L);
        List<int[]> sequential = texts.stream().map(t -> JINA.encode(t, Truncation.none()).ids()).toList();
        Tokenizer fresh = Tokenizer.load(TestTokenizers.JINABERT_DIR);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w * 100;
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int k = 0; k < texts.size(); k++) {
                        int i = (k + offset) % texts.size();
                        same &= Arrays.equals(fresh.encode(texts.get(i), Truncation.none()).ids(), sequential.get(i));
                    }
                    return same;
                }));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void byteLevelOffsetsCoverTheOriginalTextWithoutLeadingSpaces() {
        String text = "Héllo, wörld! 😀 <mask> end";
        Encoding e = JINA.encode(text, Truncation.none());
        StringBuilder covered = new StringBuilder();
        for (int i = 0; i < e.length(); i++) {
            if (e.specialTokensMask()[i] == 0) {
                covered.append('[').append(text, e.start(i), e.end(i)).append(']');
            }
        }
        assertThat(covered.toString()).isEqualTo("[H][é][llo][,][w][ör][ld][!][😀][😀][<mask>][end]");
        assertThat(e.sequenceIds()[0]).isEqualTo(-1);
        assertThat(e.sequenceIds()[1]).isZero();
    }

    @Test
    void offsetsMatchTheRustLibrary() {
        List<String> texts = List.of("Microstructural development of human newborn cerebral white matter.",
                "Héllo, wörld! Ça va? naïve résumé", "IL-6 and TNF-α (p<0.05) in 3.5% of 1,024 cases",
                "  leading and   inner   spaces ", "中文字符 and 日本語 mixed", "a <mask> b</s>c <s>",
                "UNWANTED,running\ttabs\nnewlines");
        for (Path json : List.of(TestTokenizers.JINABERT_JSON, TestTokenizers.miniLmJson())) {
            Tokenizer ours = Tokenizer.fromJson(json, null);
            try (HfOracle hf = new HfOracle(json)) {
                for (String t : texts) {
                    Encoding e = ours.encodePair(t, "second " + t, Truncation.none());
                    int[] expected = hf.offsets(t, "second " + t);
                    assertThat(Arrays.toString(e.offsets())).as(json + " " + t)
                            .isEqualTo(Arrays.toString(expected));
                }
            }
        }
    }

    @Test
    void paddedBatchesMatchTheRustLibrary() {
        List<String> texts = FuzzCorpus.generate(64, 5L);
        for (Path json : List.of(TestTokenizers.JINABERT_JSON, TestTokenizers.miniLmJson())) {
            Tokenizer ours = Tokenizer.load(json.getParent());
            List<Encoding> encodings = texts.stream().map(t -> ours.encode(t, Truncation.none())).toList();
            BatchEncoding batch = ours.pad(encodings);
            try (HfOracle hf = new HfOracle(json)) {
                long[][][] expected = hf.paddedBatch(texts.stream().map(ParityHarness::roundTrip).toList(),
                        ours.idToToken(ours.padId()), ours.padId());
                assertThat(batch.size()).isEqualTo(texts.size());
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(Arrays.toString(batch.ids()[i])).isEqualTo(Arrays.toString(expected[0][i]));
                    assertThat(Arrays.toString(batch.typeIds()[i])).isEqualTo(Arrays.toString(expected[1][i]));
                    assertThat(Arrays.toString(batch.attentionMask()[i])).isEqualTo(Arrays.toString(expected[2][i]));
                }
            }
        }
    }

    @Test
    void bertOffsetsAndSequenceIdsOfAPair() {
        String q = "Héllo wörld";
        String d = "CAFÉ!";
        Encoding e = MINILM.encodePair(q, d, Truncation.none());
        assertThat(e.sequenceIds()).containsExactly(-1, 0, 0, -1, 1, 1, -1);
        assertThat(q.substring(e.start(1), e.end(1))).isEqualTo("Héllo");
        assertThat(q.substring(e.start(2), e.end(2))).isEqualTo("wörld");
        assertThat(d.substring(e.start(4), e.end(4))).isEqualTo("CAFÉ");
        assertThat(d.substring(e.start(5), e.end(5))).isEqualTo("!");
    }

    @Test
    void modelMaxLengthSentinelMeansUnset() throws IOException {
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"model_max_length\": 1000000000000000019884624838656, \"pad_token\": \"[PAD]\"}");
        assertThat(Tokenizer.fromJson(TestTokenizers.miniLmJson(), config).modelMaxLength()).isEmpty();
        Files.writeString(config, "{\"model_max_length\": 512}");
        assertThat(Tokenizer.fromJson(TestTokenizers.miniLmJson(), config).modelMaxLength()).hasValue(512);
        assertThat(MINILM.padId()).isZero();
        assertThat(MINILM.specialTokenCount(true)).isEqualTo(3);
    }
}

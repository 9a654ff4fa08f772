package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.model.decoder.RerankPrompt;
import dev.rerank4j.testing.Qwen3Golden;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** qwen3-reranker-mini through the library: the card's prompt, its token ids, the scores, prefix sharing. */
class Qwen3RerankerTest {
    static Engine engine;
    static Reranker reranker;
    static RerankPrompt prompt;

    @BeforeAll
    static void load() {
        engine = Engine.load(Qwen3Golden.DIR, new EngineOptions(2, 16_384));
        reranker = engine.reranker();
        prompt = new RerankPrompt(engine.tokenizer());
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Test
    void theModelCardsPromptGivesTheReferenceIdsForEveryPair() {
        assertThat(engine.architecture().name()).isEqualTo("QWEN3_RERANKER");
        assertThat(RerankPrompt.yesNoIds(Qwen3Golden.DIR))
                .containsExactly(Qwen3Golden.YES, Qwen3Golden.NO)
                .containsExactly(engine.tokenizer().tokenToId("yes").orElseThrow(),
                        engine.tokenizer().tokenToId("no").orElseThrow());
        for (Qwen3Golden.Pair p : Qwen3Golden.pairs()) {
            assertThat(prompt.encode(p.instruction(), p.query(), p.document(), 1 << 20)).as(p.id())
                    .containsExactly(p.inputIds());
            String whole = RerankPrompt.PREFIX + RerankPrompt.body(p.instruction(), p.query(), p.document())
                    + RerankPrompt.SUFFIX;
            assertThat(engine.tokenizer().encode(whole, false, Truncation.none()).ids()).as(p.id())
                    .containsExactly(p.inputIds());
        }
    }

    @Test
    void scoresFromTextsMatchTheReferenceWithTheDefaultOrAGivenInstruction() {
        List<Qwen3Golden.Pair> pairs = Qwen3Golden.pairs();
        assertThat(pairs).anyMatch(p -> !p.instruction().equals(RerankPrompt.DEFAULT_INSTRUCTION));
        for (Qwen3Golden.Pair p : pairs) {
            ScoreOptions options = p.instruction().equals(RerankPrompt.DEFAULT_INSTRUCTION) ? ScoreOptions.defaults()
                    : ScoreOptions.defaults().withInstruction(p.instruction());
            PairScore s = reranker.score(List.of(new TextPair(p.query(), p.document())), options).get(0);
            assertThat((double) s.logit()).as(p.id()).isCloseTo(p.difference(), within(1e-4));
            assertThat(s.score()).as(p.id()).isCloseTo(1 / (1 + Math.exp(-p.difference())), within(3e-5));
            assertThat(s.tokens()).isEqualTo(p.inputIds().length);
        }
    }

    @Test
    void oneQueryWithTenDocumentsSharesItsPrefixWithIdenticalBits() {
        List<Qwen3Golden.Pair> pairs = Qwen3Golden.pairs();
        String query = pairs.get(2).query();
        List<TextPair> together = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            together.add(new TextPair(query, pairs.get(i).document()));
        }
        List<PairScore> shared = reranker.score(together, ScoreOptions.defaults().withBatchSize(4));
        for (int i = 0; i < 10; i++) {
            PairScore alone = reranker.score(List.of(together.get(i))).get(0);
            assertThat(Float.floatToRawIntBits(shared.get(i).logit())).as("document %d", i)
                    .isEqualTo(Float.floatToRawIntBits(alone.logit()));
        }
        Ranking ranking = reranker.rank(query, together.stream().map(TextPair::document).toList());
        assertThat(ranking.results()).hasSize(10);
        assertThat(ranking.results().get(0).logit()).isEqualTo(
                shared.stream().map(PairScore::logit).max(Float::compare).orElseThrow());
    }

    @Test
    void truncationKeepsTheTemplateAndCutsTheDocumentThenTheQuery() {
        Qwen3Golden.Pair p = Qwen3Golden.pairs().stream().filter(x -> x.inputIds().length > 300).findFirst()
                .orElseThrow();
        int[] full = p.inputIds();
        int[] prefix = engine.tokenizer().encode(RerankPrompt.PREFIX, false, Truncation.none()).ids();
        int[] suffix = engine.tokenizer().encode(RerankPrompt.SUFFIX, false, Truncation.none()).ids();
        int[] cut = prompt.encode(p.instruction(), p.query(), p.document(), 200);
        assertThat(cut).hasSize(200);
        assertThat(java.util.Arrays.copyOf(cut, 200 - suffix.length))
                .containsExactly(java.util.Arrays.copyOf(full, 200 - suffix.length));
        assertThat(java.util.Arrays.copyOfRange(cut, 200 - suffix.length, 200)).containsExactly(suffix);

        String longQuery = "why ".repeat(300);
        int[] q = prompt.encode(p.instruction(), longQuery, p.document(), 150);
        assertThat(q).hasSize(150);
        assertThat(java.util.Arrays.copyOf(q, prefix.length)).containsExactly(prefix);
        int[] head = ids("<Instruct>: " + p.instruction() + "\n<Query>:");
        int[] end = ids("\n<Document>:" + RerankPrompt.SUFFIX);
        assertThat(java.util.Arrays.copyOfRange(q, prefix.length, prefix.length + head.length)).containsExactly(head);
        assertThat(java.util.Arrays.copyOfRange(q, 150 - end.length, 150)).containsExactly(end);
        int why = ids(" why")[0];
        assertThat(java.util.Arrays.copyOfRange(q, prefix.length + head.length, 150 - end.length))
                .hasSize(150 - prefix.length - head.length - end.length).containsOnly(why);

        assertThat(reranker.score(List.of(new TextPair(p.query(), p.document())),
                ScoreOptions.defaults().withMaxLength(200)).get(0).tokens()).isEqualTo(200);
        assertThatThrownBy(() -> prompt.encode(p.instruction(), longQuery, p.document(), 70))
                .hasMessageContaining("leaves no room for the query");
    }

    private static int[] ids(String text) {
        return engine.tokenizer().encode(text, false, Truncation.none()).ids();
    }
}

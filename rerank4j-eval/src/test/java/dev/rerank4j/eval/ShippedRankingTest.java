package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.hub.DatasetCards;
import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.FakeHub;
import dev.rerank4j.hub.ProgressListener;
import dev.rerank4j.hub.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NanoBEIR's shipped BM25 rankings: a repo in the layout of sentence-transformers' {@code Nano*-bm25} copies
 * (relevance config: {@code query-id}, {@code positive-corpus-ids}, {@code bm25-ranked-ids}) is reranked from its own
 * ranking, exactly as the same ranking given as a TREC run file; a repo in zeta-alpha-ai's layout (no ranking)
 * falls back to BM25 computed here.
 */
class ShippedRankingTest {
    private static final List<List<String>> CORPUS = List.of(
            List.of("a1", "Owls sleep by day and hunt at night."),
            List.of("a2", "Night trains cross the country in winter."),
            List.of("a3", "Bats sleep by day in caves and hunt insects."),
            List.of("a4", "Trains at night carry mail."),
            List.of("a5", "Winter mornings are cold."),
            List.of("a6", "Insects hide in caves."));
    private static final List<List<String>> QUERIES = List.of(
            List.of("q1", "which animals sleep by day"), List.of("q2", "night trains"));
    /** Deliberately unlike BM25's order, so that reading it and recomputing BM25 cannot agree by chance. */
    private static final Map<String, List<String>> SHIPPED = Map.of(
            "q1", List.of("a1", "a2", "a3", "a4", "a5", "a6"),
            "q2", List.of("a6", "a5", "a4", "a2", "a1", "a3"));

    @TempDir
    Path home;
    FakeHub hub;
    DatasetSpecs specs;

    @BeforeEach
    void publish() throws IOException {
        hub = new FakeHub();
        specs = new DatasetSpecs(new DatasetResolver(TestRepos.config(hub, home), ProgressListener.NONE));
        byte[] corpus = TestParquet.strings(home, List.of("_id", "text"), CORPUS);
        byte[] queries = TestParquet.strings(home, List.of("_id", "text"), QUERIES);
        List<Map<String, Object>> relevance = new ArrayList<>();
        relevance.add(Map.of("query-id", "q1", "positive-corpus-ids", List.of("a3"),
                "bm25-ranked-ids", SHIPPED.get("q1")));
        relevance.add(Map.of("query-id", "q2", "positive-corpus-ids", List.of("a4", "a2"),
                "bm25-ranked-ids", SHIPPED.get("q2")));
        hub.dataset("acme/NanoAlpha-bm25").commit(HubBeirDatasetTest.COMMIT, "main", Map.of(
                "README.md", HubBeirDatasetTest.text(DatasetCards.NANOBEIR_BM25),
                "corpus/train-00000-of-00001.parquet", corpus,
                "queries/train-00000-of-00001.parquet", queries,
                "relevance/train-00000-of-00001.parquet", TestParquet.writeLists(home, List.of("query-id"),
                        List.of("positive-corpus-ids", "bm25-ranked-ids"), relevance, CompressionCodecName.SNAPPY,
                        1 << 20)));
        hub.dataset("acme/NanoAlpha").commit(HubBeirDatasetTest.COMMIT, "main", Map.of(
                "README.md", HubBeirDatasetTest.text(DatasetCards.NANOBEIR),
                "corpus/train-00000-of-00001.parquet", corpus,
                "queries/train-00000-of-00001.parquet", queries,
                "qrels/train-00000-of-00001.parquet", TestParquet.strings(home, List.of("query-id", "corpus-id"),
                        List.of(List.of("q1", "a3"), List.of("q2", "a4"), List.of("q2", "a2")))));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private EvalResult firstStage(String spec, FirstStageSpec stage) {
        return Evaluation.run(EvalSettings.defaults(specs.open(spec)).withDataset(specs.open(spec), "train")
                .withFirstStage(stage), Progress.QUIET);
    }

    @Test
    void theShippedRankingIsTheFirstStageAndScoresAsTheSameRunFile() throws IOException {
        EvalResult shipped = firstStage("hf:acme/NanoAlpha-bm25", new FirstStageSpec.Shipped());

        assertThat(shipped.firstStageName()).isEqualTo("bm25(shipped by hf:acme/NanoAlpha-bm25)");
        // q1: its one positive at rank 3; q2: positives at ranks 3 and 4 of two.
        double q1 = 1 / log2(4);
        double q2 = (1 / log2(4) + 1 / log2(5)) / (1 + 1 / log2(3));
        assertThat(shipped.firstStage().get("ndcg@10")).isCloseTo((q1 + q2) / 2, within(1e-12));

        Path runFile = home.resolve("shipped.run");
        StringBuilder run = new StringBuilder();
        SHIPPED.forEach((q, docs) -> {
            for (int i = 0; i < docs.size(); i++) {
                run.append(q).append(" Q0 ").append(docs.get(i)).append(' ').append(i + 1).append(' ')
                        .append(docs.size() - i).append(" shipped\n");
            }
        });
        Files.writeString(runFile, run);
        EvalResult asRunFile = firstStage("hf:acme/NanoAlpha", new FirstStageSpec.RunFile(runFile));
        assertThat(shipped.firstStage()).isEqualTo(asRunFile.firstStage());
        assertThat(shipped.queries()).isEqualTo(2);
        assertThat(specs.open("hf:acme/NanoAlpha-bm25").qrelsName("train"))
                .endsWith("relevance/train-00000-of-00001.parquet (positive-corpus-ids)");
    }

    @Test
    void aRepoWithoutARankingFallsBackToBm25() {
        EvalResult shipped = firstStage("hf:acme/NanoAlpha", new FirstStageSpec.Shipped());
        EvalResult bm25 = firstStage("hf:acme/NanoAlpha", new FirstStageSpec.Bm25());

        assertThat(shipped.firstStageName()).isEqualTo("bm25(k1=0.9,b=0.4)");
        assertThat(shipped.firstStage()).isEqualTo(bm25.firstStage());
        // And the shipped ranking was not BM25's own order: the two first stages disagree.
        assertThat(bm25.firstStage().get("ndcg@10"))
                .isNotEqualTo(firstStage("hf:acme/NanoAlpha-bm25", new FirstStageSpec.Shipped()).firstStage()
                        .get("ndcg@10"));
    }

    private static double log2(double x) {
        return StrictMath.log(x) / StrictMath.log(2);
    }
}

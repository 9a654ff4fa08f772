package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.hub.BundledMiniLm;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite over two Hub datasets (one NanoBEIR-shaped with its own qrels config, one BeIR-shaped with a -qrels
 * repo) and two rerankers on the same BM25 candidates: the JinaBERT miniature and the bundled all-MiniLM-L6-v2.
 */
class SuiteRunTest {
    private static final List<String> SPECS = List.of("hf:acme/alpha", "hf:acme/beta");

    @TempDir
    Path home;
    FakeHub hub;
    DatasetSpecs specs;
    List<SuiteRun.Model> models;

    @BeforeEach
    void publish() throws IOException {
        hub = new FakeHub();
        specs = new DatasetSpecs(new DatasetResolver(TestRepos.config(hub, home), ProgressListener.NONE));
        models = List.of(new SuiteRun.Model(TinyBeir.JINABERT_MINI, "jinabert-mini"), new SuiteRun.Model(
                new BundledMiniLm(home.resolve("app")).resolve().directory(), BundledMiniLm.MODEL_ID));
        hub.dataset("acme/alpha").commit(HubBeirDatasetTest.COMMIT, "main", Map.of("README.md", HubBeirDatasetTest.text(DatasetCards.NANOBEIR),
                "corpus/train-0.parquet", TestParquet.strings(home, List.of("_id", "text"), List.of(
                        List.of("a1", "Owls sleep by day and hunt at night."),
                        List.of("a2", "Night trains cross the country in winter."),
                        List.of("a3", "Bats sleep by day in caves and hunt insects."),
                        List.of("a4", "Trains at night carry mail."))),
                "queries/train-0.parquet", TestParquet.strings(home, List.of("_id", "text"), List.of(
                        List.of("q1", "which animals sleep by day"), List.of("q2", "night trains"))),
                "qrels/train-0.parquet", TestParquet.strings(home, List.of("query-id", "corpus-id"), List.of(
                        List.of("q1", "a3"), List.of("q2", "a4"), List.of("q2", "a2")))));
        hub.dataset("acme/beta").commit(HubBeirDatasetTest.COMMIT, "main", Map.of("README.md", HubBeirDatasetTest.text(DatasetCards.BEIR),
                "corpus/corpus-0.parquet", TestParquet.strings(home, List.of("_id", "title", "text"), List.of(
                        List.of("b1", "Cats", "The cat sat on the mat."),
                        List.of("b2", "Dogs", "A dog barked at the cat."),
                        List.of("b3", "Birds", "Birds sing in the morning."),
                        List.of("b4", "Mornings", "The morning sun woke the cat and the dog."))),
                "queries/queries-0.parquet", TestParquet.strings(home, List.of("_id", "text"), List.of(
                        List.of("q1", "cat on a mat"), List.of("q2", "morning birds"), List.of("q3", "dog")))));
        hub.dataset("acme/beta-qrels").commit(HubBeirDatasetTest.COMMIT, "main", Map.of("test.tsv", HubBeirDatasetTest.text(
                "query-id\tcorpus-id\tscore\nq1\tb1\t1\nq2\tb3\t2\nq2\tb4\t1\nq3\tb2\t1\n")));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private static EvalSettings template(String split) {
        EvalSettings d = EvalSettings.defaults(Path.of("unused")).withTopK(4);
        return new EvalSettings(null, split, d.firstStage(), d.bm25(), null, d.topK(), d.longDocuments(), 0,
                d.chunkOverlap(), d.batchSize(), 1, null);
    }

    private SuiteResult run(Path out, Function<String, Dataset> open) {
        // NanoBEIR's qrels config holds its only split whatever the name; BeIR's -qrels repo is asked for "test".
        return SuiteRun.run(SPECS, open, template("test"), models, out, Progress.QUIET);
    }

    @Test
    void tableListsBothRerankersTheMeanIsTheMeanOfTheRowsAndAnInterruptedRunResumes() throws Exception {
        Path out = home.resolve("suite");
        assertThatThrownBy(() -> run(out, spec -> {
            if (spec.equals("hf:acme/beta")) {
                throw new IllegalStateException("killed");
            }
            return specs.open(spec);
        })).hasMessage("killed");
        assertThat(out.resolve("alpha/" + SuiteRun.ROW_FILE)).isRegularFile();
        assertThat(out.resolve("beta")).doesNotExist();
        assertThat(out.resolve("suite.md")).doesNotExist();

        List<String> opened = new ArrayList<>();
        SuiteResult r = run(out, spec -> {
            opened.add(spec);
            return specs.open(spec);
        });

        assertThat(opened).containsExactly("hf:acme/beta");
        assertThat(r.rows()).extracting(SuiteResult.Row::resumed).containsExactly(true, false);
        SuiteResult fresh = run(home.resolve("fresh"), specs::open);
        assertThat(fresh.rows()).extracting(SuiteResult.Row::resumed).containsExactly(false, false);
        for (int i = 0; i < 2; i++) {
            assertThat(r.rows().get(i).reranked()).isEqualTo(fresh.rows().get(i).reranked());
            assertThat(r.rows().get(i).firstStage()).isEqualTo(fresh.rows().get(i).firstStage());
        }

        assertThat(r.firstStageName()).isEqualTo("bm25(k1=0.9,b=0.4)");
        assertThat(r.models()).containsExactly("jinabert-mini", BundledMiniLm.MODEL_ID);
        assertThat(r.rows()).extracting(SuiteResult.Row::dataset).containsExactly("alpha", "beta");
        assertThat(r.rows()).extracting(SuiteResult.Row::queries).containsExactly(2, 3);
        for (int m = 0; m < 2; m++) {
            int model = m;
            assertThat(r.meanReranked(m)).isEqualTo((r.rows().get(0).reranked().get(model)
                    + r.rows().get(1).reranked().get(model)) / 2);
        }
        // Each row is what a single-dataset evaluation of that model gives.
        EvalSettings beta = template("test").withDataset(specs.open("hf:acme/beta"), "test");
        EvalResult alone = Evaluation.run(beta.withModel(models.get(1).directory()), Progress.QUIET);
        assertThat(r.rows().get(1).reranked().get(1)).isEqualTo(alone.reranked().get("ndcg@10"));
        assertThat(r.rows().get(1).firstStage()).isEqualTo(alone.firstStage().get("ndcg@10"));

        String table = SuiteReport.table(r);
        assertThat(table.lines().toList()).hasSize(5);
        assertThat(table.lines().findFirst().orElseThrow())
                .isEqualTo("| dataset | queries | bm25(k1=0.9,b=0.4) | jinabert-mini | " + BundledMiniLm.MODEL_ID
                        + " |");
        assertThat(table).contains("| **mean** | | " + SuiteReport.f2(r.meanFirstStage()) + " | "
                + SuiteReport.f2(r.meanReranked(0)) + " | " + SuiteReport.f2(r.meanReranked(1)) + " |");
        assertThat(out.resolve("alpha/jinabert-mini.md")).isRegularFile();
        assertThat(out.resolve("beta/" + BundledMiniLm.MODEL_ID.replace("/", "--") + ".json")).isRegularFile();
        assertThat(Files.readString(out.resolve("suite.md"))).contains(table, "![NDCG@10 by dataset](suite.svg)");
        var svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("suite.svg").toFile());
        // One background, 3 groups (alpha, beta, mean) x 3 systems, 3 legend swatches.
        assertThat(svg.getElementsByTagName("rect").getLength()).isEqualTo(1 + 9 + 3);
        var json = Report.JSON.readTree(out.resolve("suite.json").toFile());
        assertThat(json.get("mean").get("reranked_ndcg@10").get(1).asDouble()).isEqualTo(r.meanReranked(1));
        assertThat(json.get("rows").get(0).get("resumed").asBoolean()).isTrue();
    }
}

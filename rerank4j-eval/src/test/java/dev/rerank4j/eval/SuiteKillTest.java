package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.hub.DatasetCards;
import dev.rerank4j.hub.FakeHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming after a real kill: a child JVM runs a two-dataset suite against the fake Hub and is killed
 * ({@code destroyForcibly}) once the first dataset's row is written and while the second dataset's corpus is
 * downloading (the fake Hub stalls it); a second child finishes the suite without a request for the first dataset
 * and keeps its row byte for byte.
 */
class SuiteKillTest {
    private static final String ALPHA_ROW = "alpha/" + SuiteRun.ROW_FILE;

    @TempDir
    Path home;
    FakeHub hub;
    byte[] alphaCorpus;
    byte[] betaCorpus;

    @BeforeEach
    void publish() throws IOException {
        hub = new FakeHub();
        alphaCorpus = TestParquet.strings(home, List.of("_id", "text"), List.of(
                List.of("a1", "Owls sleep by day and hunt at night."),
                List.of("a2", "Night trains cross the country in winter."),
                List.of("a3", "Bats sleep by day in caves and hunt insects."),
                List.of("a4", "Trains at night carry mail.")));
        hub.dataset("acme/alpha").commit(HubBeirDatasetTest.COMMIT, "main", Map.of(
                "README.md", HubBeirDatasetTest.text(DatasetCards.NANOBEIR),
                "corpus/train-0.parquet", alphaCorpus,
                "queries/train-0.parquet", TestParquet.strings(home, List.of("_id", "text"), List.of(
                        List.of("q1", "which animals sleep by day"), List.of("q2", "night trains"))),
                "qrels/train-0.parquet", TestParquet.strings(home, List.of("query-id", "corpus-id"), List.of(
                        List.of("q1", "a3"), List.of("q2", "a4"), List.of("q2", "a2")))));
        List<List<String>> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            docs.add(List.of("b" + i, "Document " + i + " about " + (i % 3 == 0 ? "cats on mats" : "morning birds")
                    + " and the dog number " + i + "."));
        }
        // over 1 KiB: an LFS file, served by the fake CDN
        betaCorpus = TestParquet.strings(home, List.of("_id", "text"), docs);
        hub.dataset("acme/beta").commit(HubBeirDatasetTest.COMMIT, "main", Map.of(
                "README.md", HubBeirDatasetTest.text(DatasetCards.BEIR),
                "corpus/corpus-0.parquet", betaCorpus,
                "queries/queries-0.parquet", TestParquet.strings(home, List.of("_id", "text"), List.of(
                        List.of("q1", "cat on a mat"), List.of("q2", "morning birds")))));
        hub.dataset("acme/beta-qrels").commit(HubBeirDatasetTest.COMMIT, "main", Map.of(
                "test.tsv", HubBeirDatasetTest.text("query-id\tcorpus-id\tscore\nq1\tb0\t1\nq2\tb1\t1\nq2\tb2\t1\n")));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private Process start(Path out, String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), SuiteMain.class.getName(),
                hub.endpoint().toString(), home.resolve("hf/hub").toString(), out.toString(),
                TinyBeir.JINABERT_MINI.toAbsolutePath().toString(), "hf:acme/alpha", "hf:acme/beta")
                .redirectOutput(home.resolve(name + ".out").toFile()).redirectError(home.resolve(name + ".err").toFile())
                .start();
    }

    private long alphaRequests() {
        return hub.requests.stream().filter(r -> r.path().contains("acme/alpha")).count()
                + hub.blobGets(alphaCorpus).size();
    }

    @Test
    void aKilledRunResumesWithoutTouchingTheFinishedDataset() throws Exception {
        Path out = home.resolve("suite");
        hub.fault(betaCorpus, FakeHub.Fault.stallOnce(0, Duration.ofMinutes(10)));
        Process first = start(out, "first");
        // Wait for the events, not for a time: alpha's row on disk and beta's corpus transfer under way.
        while (!(Files.isRegularFile(out.resolve(ALPHA_ROW)) && !hub.blobGets(betaCorpus).isEmpty())) {
            assertThat(first.isAlive()).as(() -> "the suite ended before it could be killed:\n" + read("first"))
                    .isTrue();
            Thread.sleep(20);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isNotZero();
        assertThat(out.resolve("beta/" + SuiteRun.ROW_FILE)).doesNotExist();
        assertThat(out.resolve("suite.md")).doesNotExist();
        byte[] alphaRow = Files.readAllBytes(out.resolve(ALPHA_ROW));
        long alphaBefore = alphaRequests();

        hub.clearFault(betaCorpus);
        Process second = start(out, "second");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as(() -> read("second")).isZero();

        assertThat(alphaRequests()).isEqualTo(alphaBefore);
        assertThat(Files.readAllBytes(out.resolve(ALPHA_ROW))).isEqualTo(alphaRow);
        var suite = Report.JSON.readTree(out.resolve("suite.json").toFile());
        assertThat(suite.get("rows")).hasSize(2);
        assertThat(suite.get("rows").get(0).get("resumed").asBoolean()).isTrue();
        assertThat(suite.get("rows").get(1).get("resumed").asBoolean()).isFalse();
        var row = Report.JSON.readTree(alphaRow);
        assertThat(suite.get("rows").get(0).get("first_stage_ndcg@10").asDouble())
                .isEqualTo(row.get("first_stage_ndcg@10").asDouble());
        List<String> table = Files.readString(home.resolve("second.out")).lines().toList();
        assertThat(table).hasSize(5);
        assertThat(table.get(0)).isEqualTo("| dataset | queries | bm25(k1=0.9,b=0.4) | jinabert-mini |");
        assertThat(table.get(2)).startsWith("| alpha | 2 | ");
        assertThat(table.get(3)).startsWith("| beta | 2 | ");
        assertThat(table.get(4)).startsWith("| **mean** | | ");
    }

    /** A child's output, for failure messages. */
    private String read(String name) {
        try {
            return Files.readString(home.resolve(name + ".out")) + Files.readString(home.resolve(name + ".err"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}

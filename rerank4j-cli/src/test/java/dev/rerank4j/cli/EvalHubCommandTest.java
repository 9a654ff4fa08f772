package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.hub.FakeHub;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eval --dataset hf:... --models A,B} against a fake Hub: one table, reports, and a resumed rerun. */
class EvalHubCommandTest {
    private static final String COMMIT = "5555555555555555555555555555555555555555";

    @TempDir
    Path home;

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private String[] run(HubConfig config, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand(() -> config));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        var stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        synchronized (CliRun.class) {
            try {
                System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
                int exit = cli.execute(args);
                assertThat(exit).as(err.toString()).isZero();
            } finally {
                System.setOut(stdout);
            }
        }
        return out.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
    }

    @Test
    void comparesTwoRerankersOnAHubDatasetAndResumes() throws IOException {
        try (FakeHub hub = new FakeHub()) {
            hub.dataset("acme/tiny").commit(COMMIT, "main", Map.of(
                    "corpus.jsonl.gz", gzip("""
                            {"_id": "d1", "title": "Owls", "text": "Owls sleep by day and hunt at night."}
                            {"_id": "d2", "title": "Trains", "text": "Night trains cross the country."}
                            {"_id": "d3", "title": "Bats", "text": "Bats sleep by day in caves."}
                            """),
                    "queries.jsonl.gz", gzip("""
                            {"_id": "q1", "text": "which animals sleep by day"}
                            {"_id": "q2", "text": "night trains"}
                            """)));
            hub.dataset("acme/tiny-qrels").commit(COMMIT, "main", Map.of("test.tsv",
                    "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t1\nq2\td2\t1\n".getBytes(StandardCharsets.UTF_8)));
            HubConfig config = TestRepos.config(hub, home);
            Path out = home.resolve("out");
            String[] args = {"--dataset", "hf:acme/tiny", "--models", CliRun.MODEL + ",bundled", "--top-k", "3",
                "--threads", "1", "--out", out.toString()};

            String[] lines = run(config, args);

            assertThat(lines[0]).isEqualTo("| dataset | queries | bm25(k1=0.9,b=0.4) | jinabert-mini | "
                    + "sentence-transformers/all-MiniLM-L6-v2 |");
            assertThat(lines[2]).startsWith("| tiny | 2 | ");
            assertThat(lines[3]).startsWith("| **mean** | | ");
            assertThat(out.resolve("tiny/jinabert-mini.md")).isRegularFile();
            assertThat(out.resolve("suite.svg")).isRegularFile();

            int requests = hub.requests.size();
            String[] again = run(config.withOffline(true), args);
            assertThat(again).containsExactly(lines);
            assertThat(hub.requests).hasSize(requests);
            JsonNode json = CommandsTest.JSON.readTree(out.resolve("suite.json").toFile());
            assertThat(json.get("rows").get(0).get("resumed").asBoolean()).isTrue();
        }
    }
}

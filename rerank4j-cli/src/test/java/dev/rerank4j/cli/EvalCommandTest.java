package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rerank4j eval} through Main, end to end on a tiny BEIR dataset: table, final JSON line, report and run file. */
class EvalCommandTest {
    @TempDir
    Path tmp;

    private static CliRun eval(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "eval";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    private Path dataset() throws Exception {
        Path dir = tmp.resolve("ds");
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "Owls", "text": "Owls sleep by day and hunt at night."}
                {"_id": "d2", "title": "Trains", "text": "Night trains cross the country."}
                {"_id": "d3", "title": "Bats", "text": "Bats sleep by day in caves."}
                """);
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "which animals sleep by day"}
                {"_id": "q2", "text": "night trains"}
                """);
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td3\t1\n"
                + "q2\td2\t1\n");
        return dir;
    }

    @Test
    void printsTheTableAndEndsWithTheFinalMetricsAsJson() throws Exception {
        Path report = tmp.resolve("out/report.md");
        Path run = tmp.resolve("out/run.trec");
        CliRun r = eval("--dataset", dataset().toString(), "--model", CliRun.MODEL, "--top-k", "3", "--threads", "1",
                "--report", report.toString(), "--run-out", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("first stage: bm25(k1=0.9,b=0.4); reranker: jinabert-mini, top 3");
        assertThat(r.out()).contains("| metric | first stage | reranked | change |", "| ndcg@10 | ");
        assertThat(lines.get(lines.size() - 2)).startsWith("queries 2; first stage ").contains("rerank 4 pairs in");
        JsonNode last = CommandsTest.JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.fieldNames()).toIterable().containsExactly("ndcg@10", "mrr@10", "map", "recall@10",
                "recall@3", "hit_rate@1", "hit_rate@10");
        // Both queries' relevant documents are among BM25's candidates, so recall is complete after reranking.
        assertThat(last.get("recall@3").asDouble()).isEqualTo(1.0);
        JsonNode json = CommandsTest.JSON.readTree(tmp.resolve("out/report.json").toFile());
        assertThat(json.get("reranked").get("ndcg@10").asDouble()).isEqualTo(last.get("ndcg@10").asDouble());
        assertThat(Files.readString(report)).contains("## NDCG@10 against rerank depth");
        assertThat(tmp.resolve("out/report-depth.svg")).exists();
        assertThat(Files.readAllLines(run)).hasSize(4).allMatch(l -> l.matches("q[12] Q0 d[123] [1-3] \\S+ rerank4j"));
    }

    @Test
    void withoutAModelTheFirstStageIsEvaluatedAlone() throws Exception {
        CliRun r = eval("--dataset", dataset().toString(), "--top-k", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("| metric | first stage |").doesNotContain("reranked");
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(CommandsTest.JSON.readTree(last).has("recall@2")).isTrue();
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        CliRun mode = eval("--dataset", dataset().toString(), "--model", CliRun.MODEL, "--long-documents", "split");
        assertThat(mode.exitCode()).isEqualTo(1);
        assertThat(mode.err().strip()).isEqualTo("rerank4j eval: --long-documents 'split': expected "
                + "truncate, chunk or full");
        CliRun missing = eval("--dataset", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("dataset '" + tmp.resolve("nope") + "' is not a directory; expected a "
                + "BEIR-layout directory, hf:org/name (e.g. hf:BeIR/scifact) or loco:TASK");
        CliRun both = eval("--dataset", dataset().toString(), "--suite", "beir");
        assertThat(both.err().strip()).isEqualTo("rerank4j eval: give one of --dataset or --suite");
        CliRun suite = eval("--suite", "msmarco");
        assertThat(suite.err().strip()).isEqualTo("rerank4j eval: --suite 'msmarco': expected beir, nanobeir or loco");
        CliRun stage = eval("--dataset", dataset().toString(), "--first-stage", "sparse");
        assertThat(stage.err()).contains("first stage 'sparse': expected bm25, dense:M");
    }
}

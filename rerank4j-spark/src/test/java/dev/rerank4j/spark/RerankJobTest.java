package dev.rerank4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.eval.EvalResult;
import dev.rerank4j.eval.EvalSettings;
import dev.rerank4j.eval.Evaluation;
import dev.rerank4j.eval.FirstStageSpec;
import dev.rerank4j.eval.Hit;
import dev.rerank4j.eval.Progress;
import dev.rerank4j.eval.Run;
import dev.rerank4j.eval.TrecRunFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RerankJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rerankedRunEvaluatesAsEvalRerankingTheSameRunInOneProcess() throws IOException {
        Path beir = writeBeir(dir.resolve("beir"), 8, 40, 12);
        Path out = dir.resolve("scored");
        Path trec = dir.resolve("reranked.trec");
        job("--model", TestPairs.MODEL, "--beir", beir.toString(), "--run", beir.resolve("bm25.trec").toString(),
                "--top-k", "10", "--output", out.toString(), "--trec-out", trec.toString());

        EvalSettings settings = EvalSettings.defaults(beir).withTopK(10);
        EvalResult inProcess = Evaluation.run(settings.withFirstStage(new FirstStageSpec.RunFile(
                beir.resolve("bm25.trec"))).withModel(Path.of(TestPairs.MODEL)), Progress.QUIET);
        EvalResult fromSpark = Evaluation.run(settings.withFirstStage(new FirstStageSpec.RunFile(trec)),
                Progress.QUIET);

        assertThat(fromSpark.firstStage()).isEqualTo(inProcess.reranked());
        Run sparkRun = TrecRunFile.read(trec);
        assertThat(sparkRun.byQuery().keySet()).hasSize(8);
        inProcess.finalRun().byQuery().forEach((q, hits) -> assertThat(sparkRun.of(q)).as("query %s", q)
                .containsExactlyElementsOf(hits));
        assertThat(partFiles(out, ".parquet")).isNotEmpty();
    }

    @Test
    void jsonLinesInAndOutKeepEveryFieldAndAddLogitAndScore() throws IOException {
        List<TextPair> pairs = TestPairs.pairs(30, 3);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < pairs.size(); i++) {
            lines.append(JSON.writeValueAsString(java.util.Map.of("qid", "q" + i % 3, "docid", "d" + i,
                    "query", pairs.get(i).query(), "document", pairs.get(i).document(), "n", i))).append('\n');
        }
        Path input = Files.writeString(dir.resolve("pairs.jsonl"), lines);
        Path out = dir.resolve("out");
        Path trec = dir.resolve("top.trec");
        job("--model", TestPairs.MODEL, "--input", input.toString(), "--output", out.toString(),
                "--output-format", "jsonl", "--trec-out", trec.toString(), "--trec-top-k", "2");

        List<JsonNode> rows = new ArrayList<>();
        for (Path part : partFiles(out, ".json")) {
            for (String line : Files.readAllLines(part)) {
                rows.add(JSON.readTree(line));
            }
        }
        List<PairScore> expected;
        try (Reranker reranker = Reranker.load(Path.of(TestPairs.MODEL), EngineOptions.defaults().withThreads(1))) {
            expected = reranker.score(pairs);
        }
        assertThat(rows).hasSize(pairs.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("n").asInt()).as("row order").isEqualTo(i);
            assertThat(row.get("docid").asText()).isEqualTo("d" + i);
            assertThat(row.get("query").asText()).isEqualTo(pairs.get(i).query());
            assertThat(row.get("logit").floatValue()).isEqualTo(expected.get(i).logit());
            assertThat(row.get("score").doubleValue()).isEqualTo(expected.get(i).score());
        }

        Run top = TrecRunFile.read(trec);
        assertThat(top.byQuery().keySet()).containsExactly("q0", "q1", "q2");
        for (String q : top.byQuery().keySet()) {
            List<Hit> all = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (("q" + i % 3).equals(q)) {
                    all.add(new Hit("d" + i, expected.get(i).logit()));
                }
            }
            all.sort(Hit.TREC_ORDER);
            assertThat(top.of(q)).containsExactlyElementsOf(all.subList(0, 2));
        }
    }

    @Test
    void refusesAnInputOfBothKindsAndAnUnknownFormat() {
        assertThatThrownBy(() -> job("--model", "m", "--input", "a.jsonl", "--beir", "b", "--run", "r",
                "--output", dir.resolve("o").toString())).hasMessageContaining("mutually exclusive");
        assertThatThrownBy(() -> job("--model", TestPairs.MODEL, "--input", dir.resolve("missing.parquet").toString(),
                "--output", dir.resolve("o").toString())).hasMessageContaining("missing.parquet: no such file");
    }

    private static void job(String... args) {
        RerankJob job = new RerankJob();
        new CommandLine(job).parseArgs(args);
        job.run(LocalSpark.session());
    }

    private static List<Path> partFiles(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** queries x candidates BM25-like run over a corpus of random texts, a few relevant documents per query. */
    private static Path writeBeir(Path beir, int queries, int documents, int candidates) throws IOException {
        Files.createDirectories(beir.resolve("qrels"));
        List<TextPair> texts = TestPairs.pairs(queries + documents, 11);
        StringBuilder corpus = new StringBuilder();
        for (int d = 0; d < documents; d++) {
            corpus.append(JSON.writeValueAsString(java.util.Map.of("_id", "doc" + d, "title", d % 4 == 0 ? "" : "T" + d,
                    "text", texts.get(queries + d).document()))).append('\n');
        }
        Files.writeString(beir.resolve("corpus.jsonl"), corpus);
        StringBuilder q = new StringBuilder();
        StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        StringBuilder run = new StringBuilder();
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < queries; i++) {
            q.append(JSON.writeValueAsString(java.util.Map.of("_id", "q" + i, "text", texts.get(i).query())))
                    .append('\n');
            for (int c = 0; c < candidates; c++) {
                int doc = random.nextInt(documents);
                if (c % 4 == 1) {
                    qrels.append("q").append(i).append("\tdoc").append(doc).append('\t').append(1 + c % 2).append('\n');
                }
                run.append("q").append(i).append(" Q0 doc").append(doc).append(' ').append(c + 1).append(' ')
                        .append(20.0 - c).append(" bm25\n");
            }
        }
        Files.writeString(beir.resolve("queries.jsonl"), q);
        Files.writeString(beir.resolve("qrels/test.tsv"), qrels);
        Files.writeString(beir.resolve("bm25.trec"), run);
        return beir;
    }
}

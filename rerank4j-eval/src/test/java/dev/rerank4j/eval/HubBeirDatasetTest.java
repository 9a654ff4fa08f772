package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.hub.DatasetCards;
import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.FakeHub;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ProgressListener;
import dev.rerank4j.hub.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BEIR collection of SciFact's size served by a fake Hub as BeIR/scifact and BeIR/scifact-qrels in the Hub's file
 * layout: BM25 from the Hub gives exactly the local directory's figures. The collection is generated
 * ({@link SyntheticBeir}): SciFact itself may not be copied into this repository (CC BY-NC); the same test on the
 * real files gave 0.6789 NDCG@10 both ways.
 */
class HubBeirDatasetTest {
    static final int DOCUMENTS = 5183;
    static final String COMMIT = "3333333333333333333333333333333333333333";
    static final String OLD_COMMIT = "4444444444444444444444444444444444444444";
    @TempDir
    static Path shared;
    static Path local;
    static EvalResult localResult;

    @TempDir
    Path home;
    FakeHub hub;
    HubConfig config;

    @BeforeAll
    static void localRun() throws IOException {
        local = SyntheticBeir.write(shared.resolve("scifact"), DOCUMENTS, 300);
        localResult = Evaluation.run(EvalSettings.defaults(local), Progress.QUIET);
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        config = TestRepos.config(hub, home);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    /** Today's layout: corpus in two Parquet shards (Snappy and gzip, several row groups), queries in one. */
    static Map<String, byte[]> parquetRepo(Path tmp) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        new BeirDataset(local).forEachDocument(d -> docs.add(Map.of("_id", d.id(), "title", d.title(), "text",
                d.text())));
        List<Map<String, Object>> queries = new ArrayList<>();
        new BeirDataset(local).queries().forEach((id, text) -> queries.add(Map.of("_id", id, "text", text)));
        int half = docs.size() / 2;
        List<String> columns = List.of("_id", "title", "text");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", text("*.parquet filter=lfs diff=lfs merge=lfs -text\n"));
        files.put("README.md", text(DatasetCards.BEIR));
        files.put("corpus/corpus-00000-of-00002.parquet", TestParquet.write(tmp, columns, null,
                docs.subList(0, half), CompressionCodecName.SNAPPY, 1 << 20));
        files.put("corpus/corpus-00001-of-00002.parquet", TestParquet.write(tmp, columns, null,
                docs.subList(half, docs.size()), CompressionCodecName.GZIP, 1 << 20));
        files.put("queries/queries-00000-of-00001.parquet", TestParquet.write(tmp, List.of("_id", "text"), null,
                queries, CompressionCodecName.SNAPPY, 1 << 20));
        return files;
    }

    static void publishQrels(FakeHub hub) throws IOException {
        hub.dataset("BeIR/scifact-qrels").commit(COMMIT, "main", Map.of("README.md", text(DatasetCards.BEIR_QRELS),
                "test.tsv", Files.readAllBytes(local.resolve("qrels/test.tsv")),
                "train.tsv", text("query-id\tcorpus-id\tscore\n0\t31715818\t1\n")));
    }

    private Dataset open(HubConfig c) {
        return new DatasetSpecs(new DatasetResolver(c, ProgressListener.NONE)).open("hf:BeIR/scifact");
    }

    @Test
    void parquetShardsFromTheHubGiveExactlyTheLocalDirectorysBm25() throws IOException {
        hub.dataset("BeIR/scifact").commit(COMMIT, "main", parquetRepo(home));
        publishQrels(hub);

        Dataset fromHub = open(config);
        EvalResult r = Evaluation.run(EvalSettings.defaults(fromHub), Progress.QUIET);

        assertThat(localResult.firstStage().get("ndcg@10")).isBetween(0.2, 0.95);
        assertThat(r.firstStage()).isEqualTo(localResult.firstStage());
        assertThat(r.perQueryFirstStage()).isEqualTo(localResult.perQueryFirstStage());
        assertThat(r.finalRun()).isEqualTo(localResult.finalRun());
        assertThat(fromHub.countDocuments()).isEqualTo(DOCUMENTS);
        assertThat(config.hubCache().resolve("datasets--BeIR--scifact/snapshots/" + COMMIT
                + "/corpus/corpus-00001-of-00002.parquet")).isRegularFile();
        assertThat(config.hubCache().resolve("datasets--BeIR--scifact-qrels/refs/main")).hasContent(COMMIT);

        int requests = hub.requests.size();
        Dataset again = open(config);
        assertThat(hub.requests).hasSize(requests);
        hub.close();
        Dataset offline = open(config.withOffline(true));
        assertThat(again.queries()).isEqualTo(fromHub.queries());
        EvalResult fromCache = Evaluation.run(EvalSettings.defaults(offline), Progress.QUIET);
        assertThat(fromCache.firstStage()).isEqualTo(localResult.firstStage());
        assertThat(hub.requests).hasSize(requests);
    }

    @Test
    void theOlderRevisionsGzippedJsonLinesGiveTheSameFigures() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("README.md", text("---\nlanguage:\n- en\n---\n# BEIR SciFact, as first published\n"));
        files.put("scifact.py", text("# the datasets loading script of the first revision\n"));
        files.put("corpus.jsonl.gz", gzip(Files.readAllBytes(local.resolve("corpus.jsonl"))));
        files.put("queries.jsonl.gz", gzip(Files.readAllBytes(local.resolve("queries.jsonl"))));
        hub.dataset("BeIR/scifact").commit(OLD_COMMIT, "main", files);
        publishQrels(hub);

        EvalResult r = Evaluation.run(EvalSettings.defaults(open(config)), Progress.QUIET);

        assertThat(r.firstStage()).isEqualTo(localResult.firstStage());
        assertThat(r.perQueryFirstStage()).isEqualTo(localResult.perQueryFirstStage());
        assertThat(hub.requests).noneMatch(q -> q.path().endsWith("scifact.py"));
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}

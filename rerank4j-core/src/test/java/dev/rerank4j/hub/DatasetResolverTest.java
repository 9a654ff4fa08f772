package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetResolverTest extends HubTestBase {
    private static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", TestRepos.text("*.parquet filter=lfs\n"));
        files.put("README.md", TestRepos.text(DatasetCards.BEIR));
        files.put("corpus/corpus-00000-of-00002.parquet", TestRepos.random(3000, 1));
        files.put("corpus/corpus-00001-of-00002.parquet", TestRepos.random(10, 2));
        files.put("queries/queries-00000-of-00001.parquet", TestRepos.random(2000, 3));
        files.put("scifact.py", TestRepos.text("# a loading script, not data\n"));
        files.put("old/corpus.jsonl.gz", TestRepos.random(50, 4));
        return files;
    }

    @Test
    void downloadsTheCardAndTheFilesItsConfigsNameIntoTheDatasetsFolder() {
        hub.dataset("BeIR/scifact").commit(TestRepos.MAIN, "main", files());

        ResolvedDataset d = new DatasetResolver(config, ProgressListener.NONE).resolve("BeIR/scifact");

        Path snapshot = config.hubCache().resolve("datasets--BeIR--scifact/snapshots/" + TestRepos.MAIN);
        assertThat(d.directory()).isEqualTo(snapshot);
        assertThat(d.source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
        assertThat(d.files()).containsExactly("README.md", "corpus/corpus-00000-of-00002.parquet",
                "corpus/corpus-00001-of-00002.parquet", "queries/queries-00000-of-00001.parquet");
        assertThat(d.card().files("corpus", d.files())).contains(List.of("corpus/corpus-00000-of-00002.parquet",
                "corpus/corpus-00001-of-00002.parquet"));
        assertThat(hub.requests).anyMatch(r -> r.path().equals("/api/datasets/BeIR/scifact/revision/main"))
                .noneMatch(r -> r.path().startsWith("/api/models/"));

        int before = hub.requests.size();
        ResolvedDataset again = new DatasetResolver(config, ProgressListener.NONE).resolve("BeIR/scifact");
        assertThat(again.source()).isEqualTo(ResolvedModel.Source.CACHE);
        assertThat(hub.requests).hasSize(before);
        assertThat(new DatasetResolver(config.withOffline(true), ProgressListener.NONE).resolve("BeIR/scifact")
                .directory()).isEqualTo(snapshot);
    }

    @Test
    void aCardWithoutConfigsGetsEveryDataFileAndAnInterruptedDownloadIsNotTakenForComplete() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("README.md", TestRepos.text("# BeIR SciFact, an older revision\n"));
        files.put("corpus.jsonl.gz", TestRepos.random(5000, 5));
        files.put("queries.jsonl.gz", TestRepos.random(100, 6));
        files.put("scifact.py", TestRepos.text("# loading script\n"));
        hub.dataset("BeIR/scifact").commit(TestRepos.V1, "main", files);
        hub.fault(files.get("corpus.jsonl.gz"), FakeHub.Fault.cutAlways(1000));

        DatasetResolver resolver = new DatasetResolver(config, ProgressListener.NONE);
        assertThatThrownBy(() -> resolver.resolve("BeIR/scifact")).isInstanceOf(HubException.class);
        assertThat(resolver.cached(RepoRef.parse(RepoType.DATASET, "BeIR/scifact"))).isEmpty();

        hub.clearFault(files.get("corpus.jsonl.gz"));
        ResolvedDataset d = resolver.resolve("BeIR/scifact");
        assertThat(d.files()).containsExactly("README.md", "corpus.jsonl.gz", "queries.jsonl.gz");
        assertThat(Files.readAllBytes(d.directory().resolve("corpus.jsonl.gz")))
                .isEqualTo(files.get("corpus.jsonl.gz"));
    }

    @Test
    void aGatedDatasetIsReadWithTheTokenWhichNeverReachesTheCdn() {
        hub.dataset("acme/private").commit(TestRepos.MAIN, "main", files()).gated("hf_secret");

        assertThatThrownBy(() -> new DatasetResolver(config, ProgressListener.NONE).resolve("acme/private"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED))
                .hasMessageContaining("acme/private is a gated dataset")
                .hasMessageContaining("HF_TOKEN");
        int before = hub.requests.size();
        ResolvedDataset d = new DatasetResolver(config.withToken("hf_secret"), ProgressListener.NONE)
                .resolve("acme/private");

        assertThat(d.files()).contains("corpus/corpus-00000-of-00002.parquet");
        var withToken = hub.requests.subList(before, hub.requests.size());
        assertThat(withToken).filteredOn(r -> r.server().equals("cdn")).isNotEmpty()
                .allMatch(r -> r.authorization() == null);
        assertThat(withToken).filteredOn(r -> r.server().equals("hub")).isNotEmpty()
                .allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
    }

    @Test
    void offlineWithoutTheDatasetSaysWhatToDo() {
        assertThatThrownBy(() -> new DatasetResolver(config.withOffline(true), ProgressListener.NONE)
                .resolve("BeIR/nfcorpus"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_CACHED))
                .hasMessageContaining("dataset BeIR/nfcorpus is not in the Hugging Face cache");
        assertThat(hub.requests).isEmpty();
    }

    @Test
    void cardConfigsAcceptEveryDataFilesShape() {
        DatasetCard card = DatasetCard.parse("""
                ---
                configs:
                - config_name: default
                  data_files:
                  - split: test
                    path: [test.tsv, extra/test-*.tsv]
                  - split: train
                    path: train.tsv
                - config_name: plain
                  data_files: data/*.parquet
                ---
                """, "README.md");
        List<String> repo = List.of("test.tsv", "train.tsv", "extra/test-1.tsv", "data/a.parquet", "data/x/b.parquet");
        assertThat(card.files("default", "test", repo)).contains(List.of("extra/test-1.tsv", "test.tsv"));
        assertThat(card.files("plain", "train", repo)).contains(List.of("data/a.parquet"));
        assertThat(card.files("missing", repo)).isEmpty();
        assertThat(DatasetCard.parse("# no front matter", "x").configs()).isEmpty();
    }
}

package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubDownloadTest extends HubTestBase {

    @Test
    void firstDownloadFillsTheHuggingFaceCacheLayout() throws IOException {
        TestRepos.tinyModel(hub, "acme/tiny");

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        Path repoDir = config.hubCache().resolve("models--acme--tiny");
        Path snapshot = repoDir.resolve("snapshots").resolve(TestRepos.MAIN);
        assertThat(model).isEqualTo(new ResolvedModel(snapshot, "acme/tiny", "main", TestRepos.MAIN,
                ResolvedModel.Source.DOWNLOADED));
        assertThat(Files.readString(repoDir.resolve("refs/main"))).isEqualTo(TestRepos.MAIN);
        // Only what the loader needs: not README, .gitattributes or the pickle weights.
        try (var files = Files.list(snapshot)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
                    "tokenizer_config.json");
        }
        Path configFile = snapshot.resolve("config.json");
        String configSha1 = FakeHub.gitBlobSha1(TestRepos.modelFiles(2).get("config.json"));
        assertThat(Files.isSymbolicLink(configFile)).isTrue();
        assertThat(Files.readSymbolicLink(configFile)).isEqualTo(Path.of("../../blobs/" + configSha1));
        assertThat(Files.readString(configFile)).isEqualTo("{\"model_type\": \"bert\", \"version\": 2}");
        Path weights = snapshot.resolve("model.safetensors");
        assertThat(Files.readSymbolicLink(weights))
                .isEqualTo(Path.of("../../blobs/" + FakeHub.sha256(TestRepos.WEIGHTS)));
        assertThat(Files.readAllBytes(weights)).isEqualTo(TestRepos.WEIGHTS);
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".incomplete"))
                    .hasSize(5);
        }
        assertThat(Files.isRegularFile(config.hubCache().resolve(".locks/models--acme--tiny/"
                + FakeHub.sha256(TestRepos.WEIGHTS) + ".lock"))).isTrue();
        // The token-less request never carries an Authorization header.
        assertThat(hub.requests).allMatch(r -> r.authorization() == null);
    }

    @Test
    void secondUseComesFromTheCacheWithoutAnyRequest() {
        TestRepos.tinyModel(hub, "acme/tiny");
        ResolvedModel first = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");
        int requestsAfterDownload = hub.requests.size();
        hub.close();

        ResolvedModel second = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(second.source()).isEqualTo(ResolvedModel.Source.CACHE);
        assertThat(second.directory()).isEqualTo(first.directory());
        assertThat(second.commit()).isEqualTo(TestRepos.MAIN);
        assertThat(hub.requests).hasSize(requestsAfterDownload);
    }

    @Test
    void offlineModeUsesTheCacheAndExplainsWhatToDoWhenTheModelIsMissing() {
        TestRepos.tinyModel(hub, "acme/tiny");
        ModelResolver offline = new ModelResolver(config.withOffline(true), ProgressListener.NONE);

        assertThatThrownBy(() -> offline.resolve("acme/tiny"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_CACHED))
                .hasMessageContaining("acme/tiny is not in the Hugging Face cache at " + config.hubCache())
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("rerank4j download acme/tiny");
        assertThat(hub.requests).isEmpty();

        new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");
        int online = hub.requests.size();
        ResolvedModel cached = offline.resolve("acme/tiny");

        assertThat(cached.source()).isEqualTo(ResolvedModel.Source.CACHE);
        assertThat(hub.requests).hasSize(online);
    }

    @Test
    void revisionsPinCommitsAndShareBlobs() throws IOException {
        TestRepos.tinyModel(hub, "acme/tiny");
        ModelResolver resolver = new ModelResolver(config, ProgressListener.NONE);

        ResolvedModel tagged = resolver.resolve("acme/tiny@v1");
        ResolvedModel pinned = resolver.resolve("acme/tiny@" + TestRepos.MAIN);

        assertThat(tagged.commit()).isEqualTo(TestRepos.V1);
        assertThat(Files.readString(tagged.directory().resolve("config.json"))).contains("\"version\": 1");
        assertThat(pinned.commit()).isEqualTo(TestRepos.MAIN);
        assertThat(Files.readString(pinned.directory().resolve("config.json"))).contains("\"version\": 2");
        Path repoDir = config.hubCache().resolve("models--acme--tiny");
        assertThat(Files.readString(repoDir.resolve("refs/v1"))).isEqualTo(TestRepos.V1);
        assertThat(repoDir.resolve("refs/main")).doesNotExist(); // a commit hash is its own ref
        assertThat(tagged.directory().resolve("model.safetensors").toRealPath())
                .isEqualTo(pinned.directory().resolve("model.safetensors").toRealPath());
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(1);

        // A pinned commit already cached needs no network at all.
        hub.close();
        assertThat(resolver.resolve("acme/tiny@" + TestRepos.MAIN).source()).isEqualTo(ResolvedModel.Source.CACHE);
        assertThat(resolver.resolve("acme/tiny@v1").directory()).isEqualTo(tagged.directory());
    }

    @Test
    void gatedModelExplainsHowToSetTheTokenAndTheTokenNeverReachesTheCdn() {
        TestRepos.tinyModel(hub, "acme/gated").gated("hf_secret");

        assertThatThrownBy(() -> new ModelResolver(config, ProgressListener.NONE).resolve("acme/gated"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.ACCESS_DENIED))
                .hasMessageContaining("acme/gated is a gated model")
                .hasMessageContaining(hub.endpoint() + "/acme/gated")
                .hasMessageContaining("export HF_TOKEN=");
        assertThatThrownBy(() -> new ModelResolver(config.withToken("hf_wrong"), ProgressListener.NONE)
                .resolve("acme/gated"))
                .hasMessageContaining("was sent but has no access");

        ResolvedModel model = new ModelResolver(config.withToken("hf_secret"), ProgressListener.NONE)
                .resolve("acme/gated");

        assertThat(model.source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
        List<FakeHub.Request> cdn = hub.requests.stream().filter(r -> r.server().equals("cdn")).toList();
        assertThat(cdn).isNotEmpty().allMatch(r -> r.authorization() == null);
        assertThat(hub.requests.stream().filter(r -> r.server().equals("hub")).toList().getLast().authorization())
                .isEqualTo("Bearer hf_secret");
    }

    @Test
    void missingRepoRevisionAndFilesAreNamed() {
        TestRepos.tinyModel(hub, "acme/tiny");
        Map<String, byte[]> noTokenizer = new LinkedHashMap<>(TestRepos.modelFiles(3));
        noTokenizer.remove("tokenizer.json");
        hub.repo("acme/notokenizer").commit(TestRepos.MAIN, "main", noTokenizer);
        ModelResolver resolver = new ModelResolver(config, ProgressListener.NONE);

        assertThatThrownBy(() -> resolver.resolve("acme/nothere"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("cannot access acme/nothere (HTTP 401)")
                .hasMessageContaining("does not exist, or it is private or gated");
        assertThatThrownBy(() -> resolver.resolve("acme/tiny@nope"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND))
                .hasMessageContaining("revision 'nope' not found in acme/tiny");
        assertThatThrownBy(() -> resolver.resolve("acme/notokenizer"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNSUPPORTED))
                .hasMessageContaining("acme/notokenizer at commit " + TestRepos.MAIN + " has no tokenizer.json")
                .hasMessageContaining("its files: .gitattributes, README.md, config.json");
        assertThatThrownBy(() -> resolver.resolve("./no/such/dir"))
                .hasMessage("model directory './no/such/dir' does not exist");
        assertThatThrownBy(() -> resolver.resolve("not a model"))
                .hasMessageContaining("'not a model' is not a directory, and not a Hugging Face id");
    }

    @Test
    void transientServerErrorsAreRetriedThenReported() {
        TestRepos.tinyModel(hub, "acme/tiny");
        hub.failApi(2);

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(model.source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
        assertThat(hub.requests.stream().filter(r -> r.path().startsWith("/api/")).count()).isEqualTo(3);

        hub.failApi(3);
        assertThatThrownBy(() -> new ModelResolver(config, ProgressListener.NONE).download(RepoRef.parse("acme/tiny")))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NETWORK))
                .hasMessageContaining("after 3 attempts: TransientStatus HTTP 503")
                .hasMessageContaining("HF_HUB_OFFLINE=1");
    }

    @Test
    void unreachableHubSaysTheModelIsNotCachedAndHowToWorkOffline() {
        hub.close();
        assertThatThrownBy(() -> new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NETWORK))
                .hasMessageStartingWith("acme/tiny is not in the Hugging Face cache at " + config.hubCache()
                        + ", and cannot fetch the file list of acme/tiny from " + hub.endpoint())
                .hasMessageContaining("ConnectException");
    }

    @Test
    void shardedSafetensorsAndSentenceTransformersFilesAreFetched() throws IOException {
        byte[] shard1 = TestRepos.random(3000, 1);
        byte[] shard2 = TestRepos.random(2000, 2);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", TestRepos.text("{}"));
        files.put("tokenizer.json", TestRepos.text("{}"));
        files.put("modules.json", TestRepos.text("[]"));
        files.put("sentence_bert_config.json", TestRepos.text("{\"max_seq_length\": 256}"));
        files.put("1_Pooling/config.json", TestRepos.text("{\"pooling_mode_mean_tokens\": true}"));
        files.put("onnx/model.onnx", TestRepos.random(1500, 3));
        files.put("model.safetensors.index.json", TestRepos.text("{\"metadata\": {}, \"weight_map\": {"
                + "\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\","
                + "\"c\": \"model-00001-of-00002.safetensors\"}}"));
        files.put("model-00001-of-00002.safetensors", shard1);
        files.put("model-00002-of-00002.safetensors", shard2);
        hub.repo("acme/sharded").commit(TestRepos.MAIN, "main", files);

        Path dir = new ModelResolver(config, ProgressListener.NONE).resolve("acme/sharded").directory();

        assertThat(Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors"))).isEqualTo(shard1);
        assertThat(Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors"))).isEqualTo(shard2);
        assertThat(Files.readString(dir.resolve("1_Pooling/config.json"))).contains("mean_tokens");
        assertThat(dir.resolve("modules.json")).exists();
        assertThat(dir.resolve("sentence_bert_config.json")).exists();
        assertThat(dir.resolve("onnx")).doesNotExist(); // safetensors win, the ONNX copy is not needed
        assertThat(ModelFiles.missing(dir)).isEmpty();

        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThat(ModelFiles.missing(dir)).containsExactly("model-00002-of-00002.safetensors");
    }

    @Test
    void onnxOnlyRepoGetsItsOnnxFile() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", TestRepos.text("{}"));
        files.put("tokenizer.json", TestRepos.text("{}"));
        files.put("onnx/model.onnx", TestRepos.random(1500, 3));
        files.put("onnx/model_quantized.onnx", TestRepos.random(1200, 4));
        hub.repo("acme/onnx").commit(TestRepos.MAIN, "main", files);

        Path dir = new ModelResolver(config, ProgressListener.NONE).resolve("acme/onnx").directory();

        assertThat(dir.resolve("onnx/model.onnx")).exists();
        assertThat(dir.resolve("onnx/model_quantized.onnx")).doesNotExist();
        assertThat(Files.readSymbolicLink(dir.resolve("onnx/model.onnx")).toString())
                .startsWith("../../../blobs/");
    }

    @Test
    void proxyFromTheEnvironmentCarriesEveryRequest() {
        TestRepos.tinyModel(hub, "acme/tiny");
        // The endpoint's host does not resolve: only a proxy can reach it. The fake hub plays the proxy.
        HubConfig viaProxy = HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "http://hub.invalid",
                "http_proxy", "http://127.0.0.1:" + hub.address().getPort(),
                "HF_HUB_CACHE", config.hubCache().toString()), home);

        ResolvedModel model = new ModelResolver(viaProxy, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(model.source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
        assertThat(hub.requests).isNotEmpty().allMatch(r -> r.server().equals("hub"));
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(1);
        assertThat(HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "http://hub.invalid", "HTTP_PROXY", "p:3128",
                "NO_PROXY", "localhost,.invalid"), home).proxy()).isEmpty();
    }

    @Test
    void renamedRepoIsFollowedThroughRelativeRedirects() throws IOException {
        TestRepos.tinyModel(hub, "acme/new-name");
        hub.rename("acme/old-name", "acme/new-name");

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/old-name");

        // Cached under the id the user gave, as huggingface_hub does.
        assertThat(model.directory()).isEqualTo(config.hubCache()
                .resolve("models--acme--old-name/snapshots/" + TestRepos.MAIN));
        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(hub.requests).anyMatch(r -> r.path().equals("/api/models/acme/new-name/revision/main"))
                .anyMatch(r -> r.method().equals("HEAD")
                        && r.path().equals("/acme/new-name/resolve/" + TestRepos.MAIN + "/config.json"));
    }

    @Test
    void localDirectoriesAreTakenAsGiven() throws IOException {
        Path dir = Files.createDirectories(home.resolve("my-model"));
        Files.writeString(dir.resolve("config.json"), "{}", StandardCharsets.UTF_8);

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve(dir.toString());

        assertThat(model).isEqualTo(new ResolvedModel(dir, "my-model", null, null, ResolvedModel.Source.LOCAL));
        assertThat(hub.requests).isEmpty();
    }
}

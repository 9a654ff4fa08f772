package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache as Python's huggingface_hub leaves it is read as is, and listed. */
class HubCacheTest {
    @TempDir
    Path home;

    /** Lays files out exactly as hf_hub_download does: blobs by hash, relative symlinks, a ref without newline. */
    private static Path pythonSnapshot(Path cacheRoot, String repoFolder, String ref, String commit,
                                       Map<String, byte[]> files) throws IOException {
        Path repo = cacheRoot.resolve(repoFolder);
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] content = file.getValue();
            String etag = content.length >= 1024 ? FakeHub.sha256(content) : FakeHub.gitBlobSha1(content);
            Path blob = Files.createDirectories(repo.resolve("blobs")).resolve(etag);
            Files.write(blob, content);
            Path pointer = snapshot.resolve(file.getKey());
            Files.createDirectories(pointer.getParent());
            Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve(ref), commit);
        Files.createDirectories(repo.resolve(".no_exist").resolve(commit));
        Files.createFile(repo.resolve(".no_exist").resolve(commit).resolve("added_tokens.json"));
        Files.createDirectories(cacheRoot.resolve(".locks").resolve(repoFolder));
        return snapshot;
    }

    @Test
    void snapshotWrittenByPythonIsUsedWithoutNetwork() throws IOException {
        Path cacheRoot = home.resolve("hub");
        Map<String, byte[]> files = Map.of(
                "config.json", TestRepos.text("{}"),
                "tokenizer.json", TestRepos.text("{\"model\": {}}"),
                "model.safetensors", TestRepos.random(5000, 5));
        Path snapshot = pythonSnapshot(cacheRoot, "models--acme--py", "main", TestRepos.MAIN, files);
        HubConfig unreachable = TestRepos.config(closedHub(), home).withCaches(cacheRoot, home.resolve("rerank4j"));

        ResolvedModel model = new ModelResolver(unreachable, ProgressListener.NONE).resolve("acme/py");

        assertThat(model).isEqualTo(new ResolvedModel(snapshot, "acme/py", "main", TestRepos.MAIN,
                ResolvedModel.Source.CACHE));
    }

    @Test
    void incompletePythonSnapshotIsCompletedReusingItsFiles() throws IOException {
        try (FakeHub hub = new FakeHub()) {
            TestRepos.tinyModel(hub, "acme/tiny");
            HubConfig config = TestRepos.config(hub, home);
            // AutoConfig.from_pretrained fetched only config.json.
            pythonSnapshot(config.hubCache(), "models--acme--tiny", "main", TestRepos.MAIN,
                    Map.of("config.json", TestRepos.modelFiles(2).get("config.json")));
            ModelResolver resolver = new ModelResolver(config, ProgressListener.NONE);
            assertThat(resolver.cached(RepoRef.parse("acme/tiny"))).isEmpty();

            ResolvedModel model = resolver.resolve("acme/tiny");

            assertThat(model.source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
            assertThat(ModelFiles.missing(model.directory())).isEmpty();
            assertThat(hub.requests).noneMatch(r -> r.path().endsWith("/config.json"));
        }
    }

    @Test
    void listShowsReposSnapshotsRefsAndSizes() throws IOException {
        Path cacheRoot = home.resolve("hub");
        byte[] weights = TestRepos.random(5000, 5);
        Path complete = pythonSnapshot(cacheRoot, "models--acme--a", "main", TestRepos.MAIN, Map.of(
                "config.json", TestRepos.text("{}"), "tokenizer.json", TestRepos.text("{}"),
                "model.safetensors", weights));
        Path partial = pythonSnapshot(cacheRoot, "models--acme--b", "v1", TestRepos.V1,
                Map.of("config.json", TestRepos.text("{\"a\": 1}")));
        Files.createDirectories(cacheRoot.resolve("datasets--acme--data"));

        List<HubCache.CachedRepo> repos = new HubCache(cacheRoot).list();

        assertThat(repos).extracting(HubCache.CachedRepo::repoId).containsExactly("acme/a", "acme/b");
        // config.json and tokenizer.json are both "{}": one blob, counted once.
        assertThat(repos.get(0).bytes()).isEqualTo(5000 + 2);
        assertThat(repos.get(0).snapshots()).containsExactly(
                new HubCache.CachedSnapshot(TestRepos.MAIN, List.of("main"), complete, true));
        assertThat(repos.get(1).snapshots()).containsExactly(
                new HubCache.CachedSnapshot(TestRepos.V1, List.of("v1"), partial, false));
        assertThat(new HubCache(home.resolve("nothing")).list()).isEmpty();
    }

    private static FakeHub closedHub() throws IOException {
        FakeHub hub = new FakeHub();
        hub.close();
        return hub;
    }
}

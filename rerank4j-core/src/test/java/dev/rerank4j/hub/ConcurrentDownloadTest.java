package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several downloaders, in threads and in separate processes, filling one cache with one model at once. */
class ConcurrentDownloadTest extends HubTestBase {

    @BeforeEach
    void publish() {
        TestRepos.tinyModel(hub, "acme/tiny");
        // A transfer of ~0.5 s, so the downloaders surely overlap.
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.slow(TestRepos.WEIGHTS.length / 8 + 1, Duration.ofMillis(60)));
    }

    @Test
    void concurrentThreadsDownloadEachBlobOnce() throws Exception {
        int downloaders = 4;
        CyclicBarrier together = new CyclicBarrier(downloaders);
        List<Future<ResolvedModel>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(downloaders)) {
            for (int i = 0; i < downloaders; i++) {
                results.add(pool.submit(() -> {
                    together.await();
                    return new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");
                }));
            }
            for (Future<ResolvedModel> result : results) {
                ResolvedModel model = result.get(20, TimeUnit.SECONDS);
                assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors")))
                        .isEqualTo(TestRepos.WEIGHTS);
            }
        }
        // All four asked for the weights' metadata, so all four were downloading at once, and one fetched them.
        assertThat(weightHeads()).isEqualTo(downloaders);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(1);
        assertCacheIsClean();
    }

    @Test
    void twoProcessesShareTheCacheThroughFileLocks() throws Exception {
        // Slower still (~2.4 s), so the second JVM starts well before the first one's transfer ends.
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.slow(TestRepos.WEIGHTS.length / 24 + 1, Duration.ofMillis(100)));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    DownloadMain.class.getName(),
                    hub.endpoint().toString(), config.hubCache().toString(), "acme/tiny")
                    .redirectErrorStream(true)
                    .start());
        }
        Path expected = config.hubCache().resolve("models--acme--tiny/snapshots/" + TestRepos.MAIN);
        for (Process process : processes) {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output.strip()).isEqualTo(expected.toString());
        }
        assertThat(Files.readAllBytes(expected.resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(weightHeads()).isEqualTo(2);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(1);
        assertCacheIsClean();
    }

    private long weightHeads() {
        return hub.requests.stream()
                .filter(r -> r.method().equals("HEAD") && r.path().endsWith("/resolve/" + TestRepos.MAIN
                        + "/model.safetensors"))
                .count();
    }

    private void assertCacheIsClean() throws IOException {
        try (Stream<Path> files = Files.walk(config.hubCache().resolve("models--acme--tiny"))) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".incomplete") || p.endsWith(".tmp"));
        }
        assertThat(ModelFiles.missing(config.hubCache().resolve("models--acme--tiny/snapshots/" + TestRepos.MAIN)))
                .isEmpty();
    }
}

package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transfers that go wrong: cut, stalled, slow, corrupted, and resumed across runs. */
class HubTransferTest extends HubTestBase {
    private static final String WEIGHTS_SHA = FakeHub.sha256(TestRepos.WEIGHTS);

    @BeforeEach
    void publish() {
        TestRepos.tinyModel(hub, "acme/tiny");
    }

    @Test
    void cutConnectionIsResumedWithARangeRequest() throws IOException {
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.cutOnce(1_000_000));

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        List<FakeHub.Request> gets = hub.blobGets(TestRepos.WEIGHTS);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        // Bytes in flight when the link broke are lost; the resume starts wherever the file on disk ends.
        assertThat(rangeStart(gets.get(1))).isBetween(1L, 1_000_000L);
    }

    @Test
    void partialDownloadFromAnEarlierRunIsResumed() throws IOException {
        Path incomplete = config.hubCache().resolve("models--acme--tiny/blobs/" + WEIGHTS_SHA + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, Arrays.copyOf(TestRepos.WEIGHTS, 1_500_000));
        Recorder recorder = new Recorder();

        ResolvedModel model = new ModelResolver(config, recorder).resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).extracting(FakeHub.Request::range)
                .containsExactly("bytes=1500000-");
        assertThat(incomplete).doesNotExist();
        assertThat(recorder.starts).containsExactly("model.safetensors " + TestRepos.WEIGHTS.length + " from 1500000");
        assertThat(recorder.bytes.get()).isEqualTo(TestRepos.WEIGHTS.length - 1_500_000L);
    }

    @Test
    void interruptedRunLeavesItsPartForTheNextRun() throws IOException {
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.cutAlways(2_000_000));

        assertThatThrownBy(() -> new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NETWORK))
                .hasMessageContaining("cannot fetch acme/tiny/model.safetensors from " + hub.endpoint()
                        + " after 3 attempts");
        Path incomplete = config.hubCache().resolve("models--acme--tiny/blobs/" + WEIGHTS_SHA + ".incomplete");
        long kept = Files.size(incomplete);
        assertThat(kept).isBetween(1L, 2_000_000L);
        assertThat(new ModelResolver(config, ProgressListener.NONE).cached(RepoRef.parse("acme/tiny"))).isEmpty();
        // Transfers that got somewhere did not count; the last three moved nothing, and then it gave up.
        List<FakeHub.Request> gets = hub.blobGets(TestRepos.WEIGHTS);
        int failedRun = gets.size();
        assertThat(gets.getFirst().range()).isNull();
        assertThat(failedRun).isGreaterThanOrEqualTo(4);
        assertThat(gets.subList(failedRun - 3, failedRun)).extracting(FakeHub.Request::range)
                .containsOnly("bytes=" + kept + "-");

        hub.clearFault(TestRepos.WEIGHTS);
        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(failedRun + 1);
        assertThat(hub.blobGets(TestRepos.WEIGHTS).getLast().range()).isEqualTo("bytes=" + kept + "-");
    }

    @Test
    void corruptedDownloadIsCaughtByItsChecksumAndNeverEntersTheCache() throws IOException {
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.corrupted());
        ModelResolver resolver = new ModelResolver(config, ProgressListener.NONE);

        assertThatThrownBy(() -> resolver.resolve("acme/tiny"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.kind()).isEqualTo(HubException.Kind.INTEGRITY))
                .hasMessageContaining("acme/tiny/model.safetensors: content hash ")
                .hasMessageContaining("does not match the Hub's " + WEIGHTS_SHA);

        Path blobs = config.hubCache().resolve("models--acme--tiny/blobs");
        assertThat(blobs.resolve(WEIGHTS_SHA)).doesNotExist();
        assertThat(blobs.resolve(WEIGHTS_SHA + ".incomplete")).doesNotExist();
        assertThat(config.hubCache().resolve("models--acme--tiny/snapshots/" + TestRepos.MAIN + "/model.safetensors"))
                .doesNotExist();
        assertThat(resolver.cached(RepoRef.parse("acme/tiny"))).isEmpty();
    }

    @Test
    void corruptedPartFromAnEarlierRunIsDiscardedAndDownloadedAfresh() throws IOException {
        Path incomplete = config.hubCache().resolve("models--acme--tiny/blobs/" + WEIGHTS_SHA + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, TestRepos.random(1_000_000, 99));

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).extracting(FakeHub.Request::range)
                .containsExactly("bytes=1000000-", null);
    }

    @Test
    void corruptedSmallFileIsCaughtByItsGitBlobId() throws IOException {
        Path blobs = config.hubCache().resolve("models--acme--tiny/blobs");
        Files.createDirectories(blobs);
        byte[] config2 = TestRepos.modelFiles(2).get("config.json");
        Path fakePart = blobs.resolve(FakeHub.gitBlobSha1(config2) + ".incomplete");
        byte[] wrong = config2.clone();
        wrong[3] ^= 1;
        Files.write(fakePart, wrong); // complete in size, wrong in content: resumed, then re-fetched

        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("config.json"))).isEqualTo(config2);
    }

    @Test
    void slowButSteadyTransferIsNotMistakenForAStall() throws IOException {
        // 16 chunks 40 ms apart: 0.6 s in all, longer than the 300 ms stall limit, never silent that long.
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.slow(TestRepos.WEIGHTS.length / 16 + 1, Duration.ofMillis(40)));
        Recorder recorder = new Recorder();

        ResolvedModel model = new ModelResolver(config.withReadTimeout(Duration.ofMillis(300)), recorder)
                .resolve("acme/tiny");

        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        assertThat(hub.blobGets(TestRepos.WEIGHTS)).hasSize(1);
        assertThat(recorder.advances.size()).isGreaterThan(15);
        assertThat(recorder.bytes.get()).isEqualTo(TestRepos.WEIGHTS.length);
    }

    @Test
    void stalledTransferIsAbandonedAndResumed() throws IOException {
        hub.fault(TestRepos.WEIGHTS, FakeHub.Fault.stallOnce(1_200_000, Duration.ofSeconds(5)));
        long start = System.nanoTime();

        ResolvedModel model = new ModelResolver(config.withReadTimeout(Duration.ofMillis(300)), ProgressListener.NONE)
                .resolve("acme/tiny");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(Files.readAllBytes(model.directory().resolve("model.safetensors"))).isEqualTo(TestRepos.WEIGHTS);
        List<FakeHub.Request> gets = hub.blobGets(TestRepos.WEIGHTS);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(rangeStart(gets.get(1))).isBetween(1L, 1_200_000L);
    }

    private static long rangeStart(FakeHub.Request get) {
        assertThat(get.range()).matches("bytes=\\d+-");
        return Long.parseLong(get.range().substring("bytes=".length(), get.range().length() - 1));
    }

    /** Records what a progress bar would be told. */
    static final class Recorder implements ProgressListener {
        final List<String> starts = new CopyOnWriteArrayList<>();
        final List<Long> advances = new CopyOnWriteArrayList<>();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public Transfer start(String file, long totalBytes, long alreadyDone) {
            if (totalBytes > 100_000) {
                starts.add(file + " " + totalBytes + " from " + alreadyDone);
            }
            return new Transfer() {
                @Override
                public void advance(long n) {
                    if (totalBytes > 100_000) {
                        advances.add(n);
                        bytes.addAndGet(n);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }
}

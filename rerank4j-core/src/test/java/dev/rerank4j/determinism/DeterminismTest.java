package dev.rerank4j.determinism;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same input, same bits: a score or embedding does not depend on the batch it is in, its position there, the
 * number of compute threads, or whether the code running it is interpreted, C1- or C2-compiled. Each check
 * runs {@link DeterminismProbe} in a fresh JVM, so it starts cold whatever this JVM has compiled.
 */
class DeterminismTest {

    /** One thread per probe: the common pool has a single worker on two cores and would run them in turn. */
    private static final ExecutorService PROBES = Executors.newCachedThreadPool();
    private static CompletableFuture<List<String>> crossSweep;
    private static CompletableFuture<List<String>> embedSweep;
    private static CompletableFuture<List<String>> crossInterpreted;
    private static CompletableFuture<List<String>> crossC1;
    private static CompletableFuture<List<String>> embedInterpreted;
    /** ModernBERT: rotary positions, and the sliding-window kernel on its local layers. */
    private static CompletableFuture<List<String>> modernBertSweep;
    private static CompletableFuture<List<String>> modernBertInterpreted;
    private static final String MODERNBERT_MINI = "../testdata/models/modernbert-mini";
    private static CompletableFuture<List<String>> debertaSweep;
    private static CompletableFuture<List<String>> debertaInterpreted;
    private static CompletableFuture<List<String>> int8Sweep;
    private static CompletableFuture<List<String>> int8Interpreted;
    /** Qwen3 decoder: causal attention over a shared prompt prefix's cached keys, BF16-widening multiply. */
    private static CompletableFuture<List<String>> decoderSweep;
    private static CompletableFuture<List<String>> decoderInterpreted;
    private static CompletableFuture<List<String>> decoderC1;

    /** All probes at once: the interpreted embedding alone takes a minute of one core. */
    @BeforeAll
    static void startProbes() {
        crossSweep = probe(List.of(), "cross", "sweep");
        embedSweep = probe(List.of(), "embed", "sweep");
        crossInterpreted = probe(List.of("-Xint"), "cross", "once");
        crossC1 = probe(List.of("-XX:TieredStopAtLevel=1"), "cross", "once");
        embedInterpreted = probe(List.of("-Xint"), "embed", "once");
        modernBertSweep = probe(List.of(), "cross", "sweep", MODERNBERT_MINI);
        modernBertInterpreted = probe(List.of("-Xint"), "cross", "once", MODERNBERT_MINI);
        debertaSweep = probe(List.of(), "deberta", "sweep");
        debertaInterpreted = probe(List.of("-Xint"), "deberta", "once");
        int8Sweep = probe(List.of(), "int8", "sweep");
        int8Interpreted = probe(List.of("-Xint"), "int8", "once");
        decoderSweep = probe(List.of(), "decoder", "sweep");
        decoderInterpreted = probe(List.of("-Xint"), "decoder", "once");
        decoderC1 = probe(List.of("-XX:TieredStopAtLevel=1"), "decoder", "once");
    }

    @Test
    void crossEncoderLogitIsOneValueAloneColdAndAtEveryBatchPositionWithOneAndTwoThreads() {
        assertThat(crossSweep.join()).hasSize(1);
    }

    @Test
    void biEncoderEmbeddingIsOneVectorAloneColdAndAtEveryBatchPositionWithOneAndTwoThreads() {
        assertThat(embedSweep.join()).hasSize(1);
    }

    @Test
    void crossEncoderLogitIsTheSameInterpretedC1OnlyAndAfterWarmUp() {
        assertThat(crossInterpreted.join()).isEqualTo(crossSweep.join());
        assertThat(crossC1.join()).isEqualTo(crossSweep.join());
    }

    @Test
    void embeddingIsTheSameInterpretedAndAfterWarmUp() {
        assertThat(embedInterpreted.join()).isEqualTo(embedSweep.join());
    }

    @Test
    void modernBertLogitIsOneValueEverywhereAndTheSameInterpreted() {
        assertThat(modernBertSweep.join()).hasSize(1);
        assertThat(modernBertInterpreted.join()).isEqualTo(modernBertSweep.join());
    }

    @Test
    void debertaLogitIsOneValueAtEveryBatchPositionWithOneAndTwoThreadsAndTheSameInterpreted() {
        assertThat(debertaSweep.join()).hasSize(1);
        assertThat(debertaInterpreted.join()).isEqualTo(debertaSweep.join());
    }

    @Test
    void int8LogitIsOneValueAtEveryBatchPositionWithOneAndTwoThreadsAndTheSameInterpreted() {
        assertThat(int8Sweep.join()).hasSize(1);
        assertThat(int8Interpreted.join()).isEqualTo(int8Sweep.join());
        assertThat(int8Sweep.join()).as("int8 differs from the exact mode").isNotEqualTo(crossSweep.join());
    }

    @Test
    void decoderLogitIsOneValueAloneWithAnyPrefixSharedAtEveryBatchPositionWithOneAndTwoThreadsInterpretedAndC1() {
        assertThat(decoderSweep.join()).hasSize(1);
        assertThat(decoderInterpreted.join()).isEqualTo(decoderSweep.join());
        assertThat(decoderC1.join()).isEqualTo(decoderSweep.join());
    }

    /** Runs the probe in a child JVM with this JVM's classpath and vector flags, returns its output lines. */
    private static CompletableFuture<List<String>> probe(List<String> jvmFlags, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(jvmFlags, args);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("probe " + List.of(args) + " " + jvmFlags + " failed", e);
            }
        }, PROBES);
    }

    private static List<String> run(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Xmx1g");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DeterminismProbe.class.getName());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("probe", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("probe %s finished", cmd).isTrue();
            assertThat(p.exitValue()).as("probe exit code; stderr: %s", Files.readString(err)).isZero();
            return out.lines().toList();
        } finally {
            Files.delete(err);
        }
    }
}

package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.testing.XlmrFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bge-reranker-v2-m3 layout (8,194 positions, 8,192 tokens) at xlmr-mini's size: the fixture's weights
 * with a longer, partly random position table.
 */
class XlmRobertaLongPositionsTest {
    @TempDir
    static Path tmp;

    private static Path dir;
    private static Engine engine;
    private static Reranker reranker;

    @BeforeAll
    static void build() throws IOException {
        dir = XlmrFixtures.longPositions(tmp.resolve("m3-mini"), 8194);
        engine = Engine.load(dir, EngineOptions.defaults().withThreads(2));
        reranker = engine.reranker();
    }

    @AfterAll
    static void close() {
        reranker.close();
    }

    @Test
    void limitsAre8192Tokens() {
        assertThat(engine.maxPositions()).isEqualTo(8192);
        assertThat(reranker.defaultMaxLength()).isEqualTo(8192);
    }

    @Test
    void aPairOf3000TokensScoresInA48MegabyteHeap() throws IOException, InterruptedException {
        // A child JVM whose whole heap is 48 MB: the model and its activations at 3,000 tokens take ~15 MB, while
        // one head's materialised attention scores would be 3000² floats = 36 MB per compute thread.
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), LongPairMain.class.getName(), dir.toString(), "3000")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        String[] last = out.strip().lines().reduce((x, y) -> y).orElseThrow().split(" ");
        assertThat(Integer.parseInt(last[0])).as(out).isEqualTo(3000);
        float logit = Float.parseFloat(last[1]);
        assertThat(Float.isFinite(logit)).isTrue();
        System.out.printf("8,194-position XLM-R, 3,000-token pair in a 48 MB heap: logit %.6f%n", logit);
    }

    @Test
    void chunkWindowsNeverExceedThePositionTable() {
        String query = LongPairMain.QUERY;
        String doc = LongPairMain.documentOf(engine, 8400);
        List<Integer> lengths = new ArrayList<>();
        // The windows exactly as Chunking hands them to the model. Scoring an 8,192-token window costs ~80
        // GFLOP, half a minute on this machine, so this test records them and returns the window index as the
        // logit; xlmr-mini's CHUNK test runs the model on its windows.
        PairScore s = new Chunking(engine, reranker.defaultMaxLength(), 32, null, 0).score(List.of(new TextPair(query, doc)),
                (encoded, batchSize) -> {
                    float[] index = new float[encoded.size()];
                    for (int i = 0; i < index.length; i++) {
                        lengths.add(encoded.get(i).length());
                        index[i] = i;
                    }
                    return index;
                }, 32).get(0);
        assertThat(lengths).hasSize(2).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8192));
        assertThat(lengths.get(0)).isGreaterThan(8100);
        assertThat(s.logit()).isEqualTo(1f);
        assertThat(s.tokens()).isEqualTo(lengths.get(0) + lengths.get(1));
    }
}

package dev.rerank4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A standalone master and worker in this JVM, the executor in a JVM of its own, as on a cluster. */
class LocalClusterTest {

    /** Generous for an executor JVM starting on a loaded machine; the green path waits only until it registers. */
    private static final Duration EXECUTOR_START = Duration.ofMinutes(2);

    @Test
    void executorJvmLoadsTheModelOnceAndScoresAsTheLibraryDoes() throws Exception {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        int driverLoads = ModelCache.loads();
        SparkSession spark = LocalSpark.configure(SparkSession.builder().master("local-cluster[1,2,1024]"))
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .getOrCreate();
        try {
            awaitExecutor(spark);
            List<TextPair> pairs = TestPairs.pairs(100, 5);
            List<Row> scored = new RerankTransformer().setModel(TestPairs.MODEL)
                    .transform(TestPairs.frame(spark, pairs)).collectAsList();
            List<PairScore> expected;
            try (Reranker reranker = Reranker.load(Path.of(TestPairs.MODEL), EngineOptions.defaults().withThreads(1))) {
                expected = reranker.score(pairs);
            }
            for (int i = 0; i < pairs.size(); i++) {
                assertThat(scored.get(i).getLong(0)).isEqualTo(i);
                assertThat(Float.floatToRawIntBits(scored.get(i).getFloat(4))).as("logit of pair %d", i)
                        .isEqualTo(Float.floatToRawIntBits(expected.get(i).logit()));
            }

            List<String> executors = spark.range(0, 2, 1, 2).toDF().mapPartitions(
                    (MapPartitionsFunction<Row, String>) rows -> List.of(ProcessHandle.current().pid() + " loads "
                            + ModelCache.loads() + " vector " + ModuleLayer.boot().findModule("jdk.incubator.vector")
                            .isPresent()).iterator(), Encoders.STRING()).collectAsList();
            assertThat(executors).hasSize(2).allSatisfy(e -> assertThat(e)
                    .doesNotStartWith(ProcessHandle.current().pid() + " ").endsWith(" loads 1 vector true"));
            assertThat(ModelCache.loads()).as("models loaded in the driver by this test").isEqualTo(driverLoads);
        } finally {
            spark.stop();
        }
    }

    /**
     * Spark never fails a job that no executor accepts: it logs "Initial job has not accepted any resources" and
     * waits. So the test waits for the executor's registration itself, with a deadline, and fails naming the
     * executor's own output (the worker's stderr files) when the executor JVM could not start.
     */
    private static void awaitExecutor(SparkSession spark) throws Exception {
        CompletableFuture<Void> added = new CompletableFuture<>();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onExecutorAdded(SparkListenerExecutorAdded executorAdded) {
                added.complete(null);
            }
        });
        if (spark.sparkContext().statusTracker().getExecutorInfos().length > 1) {
            return; // registered before the listener was: the driver counts as one
        }
        try {
            added.get(EXECUTOR_START.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no Spark executor registered within " + EXECUTOR_START.toSeconds() + " s "
                    + "(Spark would wait forever: 'Initial job has not accepted any resources'); the executor JVM "
                    + "could not start. " + workerOutput(spark.sparkContext().applicationId()), e);
        }
    }

    /**
     * The first executor attempt's stderr, lines cut to a readable width: the worker relaunches a failed executor
     * again and again, and the latest attempt may still be starting.
     */
    private static String workerOutput(String appId) throws IOException {
        Path app = Path.of(System.getenv("SPARK_HOME"), "work", appId);
        if (!Files.isDirectory(app)) {
            return "(no " + app + ")";
        }
        Optional<Path> first;
        try (Stream<Path> files = Files.walk(app)) {
            first = files.filter(p -> p.getFileName().toString().equals("stderr"))
                    .min(Comparator.comparing(p -> p.toFile().lastModified()));
        }
        if (first.isEmpty()) {
            return "(no executor stderr under " + app + ")";
        }
        List<String> lines = Files.readAllLines(first.get());
        return first.get() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())
                .stream().map(l -> l.length() > 300 ? l.substring(0, 300) + " ..." : l).toList());
    }
}

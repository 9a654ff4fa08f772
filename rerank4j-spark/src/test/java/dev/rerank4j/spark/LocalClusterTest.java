package dev.rerank4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A standalone master and worker in this JVM, the executor in a JVM of its own, as on a cluster. */
class LocalClusterTest {

    @Test
    void executorJvmLoadsTheModelOnceAndScoresAsTheLibraryDoes() throws IOException {
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
}

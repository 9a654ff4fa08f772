package dev.rerank4j.spark;

import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Pairs/s of the Transformer in local[2] (one compute thread per task, two tasks) against {@link Reranker#score}
 * with two threads, on the same 2,000 pairs, in alternating rounds after a warm-up of each; medians. A benchmark,
 * not a test (timing varies with the machine): run it with bench/spark-throughput.sh.
 */
public final class SparkThroughput {
    private SparkThroughput() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<TextPair> pairs = TestPairs.pairs(2_000, 17);
        SparkSession spark = LocalSpark.session();
        Dataset<Row> input = TestPairs.frame(spark, pairs).cache();
        input.count();
        RerankTransformer transformer = new RerankTransformer().setModel(TestPairs.MODEL).setThreadsPerTask(1);
        double[] sparkRates = new double[rounds];
        double[] libraryRates = new double[rounds];
        try (Reranker reranker = Reranker.load(Path.of(TestPairs.MODEL), EngineOptions.defaults().withThreads(2))) {
            for (int r = -1; r < rounds; r++) {
                long t0 = System.nanoTime();
                reranker.score(pairs);
                long t1 = System.nanoTime();
                transformer.transform(input).collectAsList();
                long t2 = System.nanoTime();
                if (r >= 0) {
                    libraryRates[r] = pairs.size() / ((t1 - t0) / 1e9);
                    sparkRates[r] = pairs.size() / ((t2 - t1) / 1e9);
                    System.out.printf(Locale.ROOT, "round %d: library %.1f pairs/s, spark %.1f pairs/s%n", r + 1,
                            libraryRates[r], sparkRates[r]);
                }
            }
        }
        double library = median(libraryRates);
        double sparkRate = median(sparkRates);
        System.out.printf(Locale.ROOT, "median of %d rounds: library (2 threads) %.1f pairs/s, spark local[2] %.1f "
                + "pairs/s, ratio %.2f%n", rounds, library, sparkRate, sparkRate / library);
        spark.stop();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

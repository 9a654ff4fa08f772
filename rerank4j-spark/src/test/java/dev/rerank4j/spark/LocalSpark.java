package dev.rerank4j.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] session for the test classes of a JVM: a session takes seconds to start. */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkSession session() {
        return configure(SparkSession.builder().master("local[2]")).getOrCreate();
    }

    /** Loopback only, no UI: tests must neither open ports to the network nor race for port 4040. */
    static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder.appName("rerank4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
    }
}

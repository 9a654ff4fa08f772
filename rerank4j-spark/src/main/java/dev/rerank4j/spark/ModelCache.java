package dev.rerank4j.spark;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Reranker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode), one per (model, threads): tasks of
 * every stage and every DataFrame share them, so the weights are read once per executor, not once per task.
 * A per-JVM cache is the one piece of global state Spark leaves room for: executors outlive tasks, closures are
 * rebuilt for each task.
 */
public final class ModelCache {
    private record Key(String model, int threads) {
    }

    private static final Map<Key, Reranker> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {
    }

    static Reranker reranker(String model, int threads) {
        return LOADED.computeIfAbsent(new Key(model, threads), k -> {
            Reranker loaded = load(k.model(), EngineOptions.defaults().withThreads(k.threads())).reranker();
            LOADS.incrementAndGet();
            return loaded;
        });
    }

    /** Models this JVM has loaded so far. */
    public static int loads() {
        return LOADS.get();
    }

    /** A directory as given (shared or relative to the task's working directory), a shipped file, else a Hub id. */
    private static Engine load(String model, EngineOptions options) {
        Path dir = Path.of(model);
        if (Files.isDirectory(dir)) {
            return Engine.load(dir, options);
        }
        if (SparkEnv.get() != null && !model.contains("/")) {
            Path shipped = new File(SparkFiles.get(model)).toPath();
            if (Files.isDirectory(shipped)) {
                return Engine.load(shipped, options);
            }
        }
        return Engine.load(model, options);
    }
}

package dev.rerank4j.server;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@link RerankServer#serve} in a process of its own, for the shutdown test and the load test (the CLI's
 * {@code serve} command does the same with all options). Listens on a free loopback port and logs it.
 * Arguments: MODELS [BATCH_WAIT_MS [MAX_QUEUED_REQUESTS [THREADS]]], MODELS being one model (a directory or
 * {@code bundled}) or several separated by commas, the first the default.
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) {
        int batchWaitMs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int maxQueued = args.length > 2 ? Integer.parseInt(args[2]) : ServerConfig.defaults().maxQueuedRequests();
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        ServerConfig config = ServerConfig.defaults().toBuilder().port(0).batchWait(Duration.ofMillis(batchWaitMs))
                .maxQueuedRequests(maxQueued).build();
        EngineOptions options = EngineOptions.defaults().withThreads(threads);
        List<ModelSource> models = Arrays.stream(args[0].split(","))
                .map(spec -> ModelSource.of(spec, () -> Engine.load(spec, options))).toList();
        RerankServer.serve(config, models);
    }
}

package dev.rerank4j.server;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics. Route labels come from a fixed set (unknown paths count as "other"), so
 * no request can grow the label space.
 */
final class Metrics {
    static final Set<String> ROUTES = Set.of("/v1/rerank", "/v2/rerank", "/rerank", "/health", "/info", "/metrics",
            "/v1/models");
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] SIZE_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchRequests = new Histogram(SIZE_BOUNDS);
    private final Histogram batchPairs = new Histogram(SIZE_BOUNDS);
    private final LongAdder tokens = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier admitted = () -> 0;

    static String route(String path) {
        return ROUTES.contains(path) ? path : "other";
    }

    void request(String path, int status, double seconds) {
        String route = route(path);
        requests.computeIfAbsent("route=\"" + route + "\",status=\"" + status + "\"", k -> new LongAdder())
                .increment();
        latency.computeIfAbsent(route, k -> new Histogram(LATENCY_BOUNDS)).observe(seconds);
    }

    void batch(int requestCount, int pairCount, int tokenCount) {
        batchRequests.observe(requestCount);
        batchPairs.observe(pairCount);
        tokens.add(tokenCount);
    }

    void rejected() {
        rejected.increment();
    }

    void gauges(IntSupplier waiting, IntSupplier inProgress) {
        this.queueDepth = waiting;
        this.admitted = inProgress;
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "rerank4j_http_requests_total", "counter", "HTTP requests by route and status.");
        new TreeMap<>(requests).forEach((labels, n) ->
                out.append("rerank4j_http_requests_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        header(out, "rerank4j_http_request_duration_seconds", "histogram", "Time from request to response.");
        new TreeMap<>(latency).forEach((route, h) ->
                h.write(out, "rerank4j_http_request_duration_seconds", "route=\"" + route + "\","));
        header(out, "rerank4j_queue_depth", "gauge", "Rerank requests waiting for the scheduler.");
        out.append("rerank4j_queue_depth ").append(queueDepth.getAsInt()).append('\n');
        header(out, "rerank4j_requests_admitted", "gauge", "Rerank requests admitted and not yet answered.");
        out.append("rerank4j_requests_admitted ").append(admitted.getAsInt()).append('\n');
        header(out, "rerank4j_queue_rejections_total", "counter", "Requests refused with 429: queue full.");
        out.append("rerank4j_queue_rejections_total ").append(rejected.sum()).append('\n');
        header(out, "rerank4j_batch_requests", "histogram", "Requests merged into one scoring call.");
        batchRequests.write(out, "rerank4j_batch_requests", "");
        header(out, "rerank4j_batch_pairs", "histogram", "(query, document) pairs in one scoring call.");
        batchPairs.write(out, "rerank4j_batch_pairs", "");
        header(out, "rerank4j_tokens_total", "counter", "Tokens read by the model.");
        out.append("rerank4j_tokens_total ").append(tokens.sum()).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}

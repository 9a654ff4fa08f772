package dev.rerank4j.server;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics. Route labels come from the server's route table (unknown paths count as
 * "other") and model labels from the served models, so no request can grow the label space.
 */
final class Metrics {
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] SIZE_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    private final Set<String> routes;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, ModelMetrics> models = new ConcurrentSkipListMap<>();

    Metrics(Set<String> routes) {
        this.routes = Set.copyOf(routes);
    }

    /** One served model's series, labelled {@code model="id"}. */
    static final class ModelMetrics {
        private final Histogram batchRequests = new Histogram(SIZE_BOUNDS);
        private final Histogram batchInputs = new Histogram(SIZE_BOUNDS);
        private final LongAdder tokens = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private volatile IntSupplier queueDepth = () -> 0;
        private volatile IntSupplier admitted = () -> 0;

        void batch(int requestCount, int inputCount, long tokenCount) {
            batchRequests.observe(requestCount);
            batchInputs.observe(inputCount);
            tokens.add(tokenCount);
        }

        void rejected() {
            rejected.increment();
        }

        void gauges(IntSupplier waiting, IntSupplier inProgress) {
            this.queueDepth = waiting;
            this.admitted = inProgress;
        }
    }

    /** The series of a model, created on first use. */
    ModelMetrics model(String modelId) {
        return models.computeIfAbsent(modelId, k -> new ModelMetrics());
    }

    String route(String path) {
        return routes.contains(path) ? path : "other";
    }

    void request(String path, int status, double seconds) {
        String route = route(path);
        requests.computeIfAbsent("route=\"" + route + "\",status=\"" + status + "\"", k -> new LongAdder())
                .increment();
        latency.computeIfAbsent(route, k -> new Histogram(LATENCY_BOUNDS)).observe(seconds);
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
        header(out, "rerank4j_queue_depth", "gauge", "Requests waiting for the model's scheduler.");
        models.forEach((id, m) -> sample(out, "rerank4j_queue_depth", id, m.queueDepth.getAsInt()));
        header(out, "rerank4j_requests_admitted", "gauge", "Requests admitted and not yet answered.");
        models.forEach((id, m) -> sample(out, "rerank4j_requests_admitted", id, m.admitted.getAsInt()));
        header(out, "rerank4j_queue_rejections_total", "counter", "Requests refused with 429: the model's queue full.");
        models.forEach((id, m) -> sample(out, "rerank4j_queue_rejections_total", id, m.rejected.sum()));
        header(out, "rerank4j_batch_requests", "histogram", "Requests merged into one model call.");
        models.forEach((id, m) -> m.batchRequests.write(out, "rerank4j_batch_requests", label(id) + ","));
        header(out, "rerank4j_batch_inputs", "histogram", "(query, document) pairs or texts in one model call.");
        models.forEach((id, m) -> m.batchInputs.write(out, "rerank4j_batch_inputs", label(id) + ","));
        header(out, "rerank4j_tokens_total", "counter", "Tokens read by the model.");
        models.forEach((id, m) -> sample(out, "rerank4j_tokens_total", id, m.tokens.sum()));
        return out.toString();
    }

    private static void sample(StringBuilder out, String name, String modelId, long value) {
        out.append(name).append('{').append(label(modelId)).append("} ").append(value).append('\n');
    }

    /** {@code model="id"}, escaped as the exposition format requires. */
    static String label(String modelId) {
        String escaped = modelId.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "model=\"" + escaped + "\"";
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}

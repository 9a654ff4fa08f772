package dev.rerank4j.cli;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.server.ModelSource;
import dev.rerank4j.server.RerankServer;
import dev.rerank4j.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = {
    "Serve one or several models over HTTP: Jina / Cohere v1 (POST /v1/rerank), Cohere v2 (POST /v2/rerank) and "
        + "text-embeddings-inference (POST /rerank) rerank APIs, OpenAI (POST /v1/embeddings) and TEI "
        + "(POST /embed) embedding APIs, with GET /health, /info, /metrics, /v1/models, /openapi.json, API docs "
        + "at /docs and a playground at /. Requests route on their 'model' field; the first --model serves "
        + "requests that name none.",
    "SIGTERM or Ctrl-C stops accepting, finishes the requests in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {
    private static final ServerConfig DEFAULTS = ServerConfig.defaults();
    static final String API_KEY_VARIABLE = "RERANK4J_API_KEY";

    /** One served model: a --model and the --served-model-name options after it. */
    static final class Served {
        @Option(names = {"-m", "--model"}, paramLabel = "M", description = {"A model to serve (repeatable): a "
                + "directory, a Hugging Face id (org/name[@revision]) or 'bundled'.",
                "Default: one model, chosen as for the other commands."})
        String model;

        @Option(names = "--served-model-name", paramLabel = "NAME", description = "Another name requests may give "
                + "as 'model' for the --model before it (repeatable); the model's own id is always accepted.")
        // No initial list: picocli would hand the same one to every group.
        List<String> aliases;
    }

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<Served> served = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads per model (default: all cores).")
    Integer threads;

    @Option(names = "--quantize", paramLabel = "none|int8", defaultValue = "none",
            description = "int8: run the models' linear layers as int8 (see rank --help). Default none: exact.")
    String quantize;

    @Option(names = "--accept-any-model-name", description = "Serve the first model to requests naming a model "
            + "that is not served (for clients that must send some name), instead of answering 422.")
    boolean acceptAnyModelName;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = DEFAULTS.host();

    @Option(names = "--port", paramLabel = "N",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = DEFAULTS.port();

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' (default: "
            + "the " + API_KEY_VARIABLE + " environment variable; the API is open when neither is set).")
    String apiKey;

    @Option(names = "--max-length", paramLabel = "N", description = "Tokens per (query, document) pair "
            + "(default: the model's).")
    int maxLength = DEFAULTS.maxLength();

    @Option(names = "--long-documents", paramLabel = "MODE", description = "Pairs over the max length: "
            + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LongDocuments longDocuments = DEFAULTS.longDocuments();

    @Option(names = "--max-documents", paramLabel = "N", description = "Documents per request; more is a 413 "
            + "(default: ${DEFAULT-VALUE}).")
    int maxDocuments = DEFAULTS.maxDocuments();

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Request body size; more is a 413 "
            + "(default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = DEFAULTS.maxBodyBytes();

    @Option(names = "--max-queued-requests", paramLabel = "N", description = "Requests admitted and not yet "
            + "answered; more get 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueuedRequests = DEFAULTS.maxQueuedRequests();

    @Option(names = "--max-queued-tokens", paramLabel = "N", description = "Estimated tokens of the admitted "
            + "requests; more get 429, which bounds the wait (default: ${DEFAULT-VALUE}).")
    long maxQueuedTokens = DEFAULTS.maxQueuedTokens();

    @Option(names = "--batch-tokens", paramLabel = "N", description = "Estimated tokens merged from concurrent "
            + "requests into one scoring call (default: ${DEFAULT-VALUE}).")
    int batchTokens = DEFAULTS.batchTokens();

    @Option(names = "--batch-wait-ms", paramLabel = "MS", description = "How long a batch waits for more requests "
            + "(default: ${DEFAULT-VALUE}: only requests that queued meanwhile join).")
    long batchWaitMs = DEFAULTS.batchWait().toMillis();

    @Option(names = "--http-threads", paramLabel = "N", description = "HTTP threads, at least 8 "
            + "(default: ${DEFAULT-VALUE}).")
    int httpThreads = DEFAULTS.httpThreads();

    @Option(names = "--max-connections", paramLabel = "N", description = "Open connections before accepting pauses "
            + "(default: ${DEFAULT-VALUE}).")
    int maxConnections = DEFAULTS.maxConnections();

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "How long shutdown waits for requests "
            + "in flight (default: ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds = DEFAULTS.drainTimeout().toSeconds();

    @Option(names = "--reject-delay-ms", paramLabel = "MS", description = "Pause before each 429, so clients that "
            + "retry at once cannot starve the scoring (default: ${DEFAULT-VALUE}).")
    long rejectDelayMs = DEFAULTS.rejectDelay().toMillis();

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Default task instruction for "
            + "instruction-aware rerankers (Qwen3-Reranker; default: the model card's); a request's 'instruction' "
            + "field overrides it.")
    String instruction;

    @Option(names = "--no-ui", description = "Do not serve the playground (GET /) and the "
            + "API docs (GET /docs); GET /openapi.json stays.")
    boolean noUi = !DEFAULTS.ui();

    @Override
    public Integer call() {
        RerankServer.serve(config(System.getenv(API_KEY_VARIABLE)), sources());
        return 0;
    }

    /** The models to serve, in order; without --model, the default model as the other commands choose it. */
    List<ModelSource> sources() {
        List<Served> models = served.isEmpty() ? List.of(new Served()) : served;
        List<ModelSource> out = new ArrayList<>();
        for (Served s : models) {
            ModelOptions options = new ModelOptions();
            options.model = s.model;
            options.threads = threads;
            options.quantize = quantize;
            out.add(new ModelSource(s.model == null ? "the default model" : s.model, options::load,
                    s.aliases == null ? List.of() : s.aliases));
        }
        return out;
    }

    /** The server's configuration from the options; {@code environmentKey} applies when --api-key is absent. */
    ServerConfig config(String environmentKey) {
        String key = apiKey != null ? apiKey
                : environmentKey == null || environmentKey.isEmpty() ? null : environmentKey;
        return DEFAULTS.toBuilder().host(host).port(port).apiKey(key).maxLength(maxLength)
                .longDocuments(longDocuments).maxBodyBytes(maxBodyBytes).maxDocuments(maxDocuments)
                .maxQueuedRequests(maxQueuedRequests).maxQueuedTokens(maxQueuedTokens).batchTokens(batchTokens)
                .batchWait(Duration.ofMillis(batchWaitMs)).httpThreads(httpThreads).maxConnections(maxConnections)
                .drainTimeout(Duration.ofSeconds(drainTimeoutSeconds)).rejectDelay(Duration.ofMillis(rejectDelayMs))
                .acceptAnyModelName(acceptAnyModelName).ui(!noUi).instruction(instruction).build();
    }
}

package dev.rerank4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.RerankException;
import dev.rerank4j.api.Engine;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: reranking in the Jina/Cohere v1 ({@code /v1/rerank}), Cohere v2 ({@code /v2/rerank}) and TEI
 * ({@code /rerank}) dialects, embeddings in OpenAI's ({@code /v1/embeddings}) and TEI's ({@code /embed}), for one
 * or several models routed on the request's {@code model}, with health, info, metrics and model listing. It
 * listens at once and loads the models in the background (503 until ready); {@link #close()} drains requests
 * in flight.
 *
 * <pre>{@code
 * try (RerankServer server = RerankServer.start(ServerConfig.defaults(), () -> Engine.load(dir, opts))) {
 *     server.awaitReady();
 *     ...
 * }
 * }</pre>
 */
public final class RerankServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RerankServer.class);
    private static final String JSON = "application/json";

    private enum State { LOADING, READY, FAILED, DRAINING, STOPPED }

    /** A route answered from a JSON body by one of the served models. */
    @FunctionalInterface
    private interface ModelApi {
        CompletableFuture<JsonNode> answer(RequestFields request, ServedModels models, ServerConfig config);
    }

    /**
     * One route of the API.
     *
     * @param needsModel whether it answers only once the models are loaded (503 before)
     */
    record Route(HandlerType method, String path, boolean needsModel, Handler handler) {
    }

    private final ServerConfig config;
    private final List<Route> routes = routeTable();
    private final Set<String> modelRoutes = routes.stream().filter(Route::needsModel).map(Route::path)
            .collect(Collectors.toUnmodifiableSet());
    private final Metrics metrics = new Metrics(routes.stream().map(Route::path).collect(Collectors.toSet()));
    private final ObjectMapper json;
    private final byte[] keyDigest;
    private final CompletableFuture<ServedModels> models = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long createdEpochSeconds = Instant.now().getEpochSecond();
    private final Javalin app;
    private State state = State.LOADING;

    private RerankServer(ServerConfig config) {
        this.config = config;
        this.json = RequestFields.parser(config.maxBodyBytes());
        this.keyDigest = config.requiresApiKey() ? sha256(config.apiKey()) : null;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.defaultPort = config.port();
            QueuedThreadPool threads = new QueuedThreadPool(config.httpThreads(), Math.min(8, config.httpThreads()));
            threads.setName("rerank4j-http");
            cfg.jetty.threadPool = threads;
            cfg.jetty.modifyServer(server -> {
                // Counts requests in flight so that stopping waits for them (Jetty's graceful shutdown).
                server.setHandler(new StatisticsHandler());
                server.setStopTimeout(config.drainTimeout().toMillis());
                server.addBean(new ConnectionLimit(config.maxConnections(), server));
            });
            // Jetty caches header fields per connection and by default matches their values ignoring case: a
            // key differing from an earlier one only in case would be read as that earlier key.
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            cfg.requestLogger.http((ctx, ms) -> metrics.request(ctx.path(), ctx.statusCode(), ms / 1000.0));
        });
        routes();
    }

    /** Starts listening and loads the model on a background thread; requests get 503 until it is ready. */
    public static RerankServer start(ServerConfig config, Supplier<Engine> loader) {
        return start(config, List.of(ModelSource.of("the model", loader)));
    }

    /**
     * Starts listening and loads the models one after the other on a background thread; requests get 503
     * until all are ready. The first model answers requests that name none.
     */
    public static RerankServer start(ServerConfig config, List<ModelSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        RerankServer server = new RerankServer(config);
        server.app.start();
        List<ModelSource> copy = List.copyOf(sources);
        Thread.ofPlatform().name("rerank4j-loader").start(() -> server.load(copy));
        return server;
    }

    /**
     * Serves until the JVM is told to stop (SIGTERM, SIGINT): then stops accepting, finishes the requests in
     * flight and exits with status 0.
     */
    public static void serve(ServerConfig config, Supplier<Engine> loader) {
        serve(config, List.of(ModelSource.of("the model", loader)));
    }

    /** {@link #serve(ServerConfig, Supplier)} for several models, the first the default. */
    public static void serve(ServerConfig config, List<ModelSource> sources) {
        RerankServer server = start(config, sources);
        LOG.info("listening on http://{}:{} (loading {})", config.host(), server.port(),
                sources.size() == 1 ? "the model" : sources.size() + " models");
        Thread hook = Thread.ofPlatform().name("rerank4j-shutdown").unstarted(() -> {
            LOG.info("shutting down: finishing requests in flight");
            server.close();
            LOG.info("stopped");
            // A drained shutdown is a clean exit; left alone the JVM would report 143 (ended by SIGTERM).
            Runtime.getRuntime().halt(0);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            throw e;
        }
        String served = server.models.join().all().stream()
                .map(m -> m.modelId() + " (" + m.kind() + ", max input " + m.maxInputLength() + " tokens)")
                .collect(Collectors.joining(", "));
        LOG.info("serving {} on http://{}:{}{}", served, config.host(), server.port(),
                config.requiresApiKey() ? " (API key required)" : "");
        server.awaitStopped();
    }

    private void load(List<ModelSource> sources) {
        List<ModelService> loaded = new ArrayList<>();
        try {
            for (ModelSource source : sources) {
                loaded.add(load(source));
            }
            ServedModels served = new ServedModels(loaded, config.acceptAnyModelName());
            synchronized (this) {
                if (state != State.LOADING) {
                    served.close(Duration.ZERO);
                    models.completeExceptionally(new RerankException("the server stopped while the models loaded"));
                    return;
                }
                state = State.READY;
            }
            models.complete(served);
        } catch (RuntimeException | Error e) {
            loaded.forEach(m -> m.close(Duration.ZERO));
            synchronized (this) {
                if (state == State.LOADING) {
                    state = State.FAILED;
                }
            }
            LOG.error("the models failed to load", e);
            models.completeExceptionally(e);
        }
    }

    /** One model, its load error naming it. */
    private ModelService load(ModelSource source) {
        Engine engine;
        try {
            engine = source.loader().get();
        } catch (RuntimeException e) {
            throw new RerankException("model '" + source.label() + "' failed to load: " + e.getMessage(), e);
        }
        try {
            return new ModelService(engine, source.aliases(), config, metrics);
        } catch (RuntimeException e) {
            engine.close();
            throw new RerankException("model '" + source.label() + "' cannot be served: " + e.getMessage(), e);
        }
    }

    /** Blocks until the models are loaded; throws the load error if one failed. */
    public void awaitReady() {
        try {
            models.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new RerankException("the model failed to load", cause);
        }
    }

    public int port() {
        return app.port();
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every route of the API, in one place: registration, readiness, metrics labels and documentation. */
    private List<Route> routeTable() {
        return List.of(
                new Route(HandlerType.GET, "/health", false, ctx -> writeJson(ctx, 200,
                        JsonNodeFactory.instance.objectNode().put("status", "ok"))),
                new Route(HandlerType.GET, "/info", true, ctx -> writeJson(ctx, 200,
                        ServerInfo.info(models.join(), config))),
                new Route(HandlerType.GET, "/v1/models", true, ctx -> writeJson(ctx, 200,
                        ServerInfo.models(models.join(), createdEpochSeconds))),
                new Route(HandlerType.GET, "/metrics", false, ctx -> ctx
                        .contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render())),
                new Route(HandlerType.POST, "/v1/rerank", true, ctx -> modelCall(ctx, JinaApi::rerank)),
                new Route(HandlerType.POST, "/v2/rerank", true, ctx -> modelCall(ctx, CohereV2Api::rerank)),
                new Route(HandlerType.POST, "/rerank", true, ctx -> modelCall(ctx, TeiApi::rerank)),
                new Route(HandlerType.POST, "/v1/embeddings", true, ctx -> modelCall(ctx, OpenAiApi::embeddings)),
                new Route(HandlerType.POST, "/embed", true, ctx -> modelCall(ctx, TeiApi::embed)));
    }

    private void routes() {
        app.before(this::guard);
        routes.forEach(r -> app.addHttpHandler(r.method(), r.path(), r.handler()));
        WebPages.register(app, config);
        app.exception(ApiException.class, (e, ctx) -> writeError(ctx, e.type, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            writeError(ctx, ErrorType.INTERNAL, "internal error: " + e.getClass().getSimpleName());
        });
        app.error(404, ctx -> writeError(ctx, ErrorType.NOT_FOUND, "no route " + ctx.method() + " " + ctx.path()));
        app.error(405, ctx -> writeError(ctx, ErrorType.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on "
                + ctx.path()));
    }

    /** Authentication first (everywhere but /health, which load balancers probe), then readiness. */
    private void guard(Context ctx) {
        String path = ctx.path();
        if (keyDigest != null && !path.equals("/health")) {
            authenticate(ctx.header("Authorization"));
        }
        if (path.equals("/health") || modelRoutes.contains(path)) {
            State s = currentState();
            switch (s) {
                case READY -> { }
                case LOADING -> throw new ApiException(ErrorType.UNAVAILABLE, "the model is loading");
                case FAILED -> throw new ApiException(ErrorType.UNAVAILABLE, "a model failed to load");
                case DRAINING, STOPPED -> throw new ApiException(ErrorType.UNAVAILABLE, "the server is shutting down");
            }
        }
    }

    private void authenticate(String header) {
        String prefix = "Bearer ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new ApiException(ErrorType.AUTHENTICATION, "missing API key: send 'Authorization: Bearer KEY'");
        }
        // Digests have equal length, so the comparison's time says nothing about the key or its length.
        if (!MessageDigest.isEqual(keyDigest, sha256(header.substring(prefix.length()).strip()))) {
            throw new ApiException(ErrorType.AUTHENTICATION, "invalid API key");
        }
    }

    /** Every route as "METHOD /path", for the test that holds the OpenAPI document to them. */
    java.util.List<String> registeredRoutes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(e -> e.getEndpoint().getMethod() + " " + e.getEndpoint().getPath())
                .filter(r -> !r.startsWith("BEFORE") && !r.startsWith("AFTER")).toList();
    }

    private synchronized State currentState() {
        return state;
    }

    private void modelCall(Context ctx, ModelApi api) {
        CompletableFuture<JsonNode> answer = answer(ctx, api);
        ctx.future(() -> answer.handle((body, error) -> {
            if (error == null) {
                writeJson(ctx, 200, body);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof ApiException e) {
                    writeError(ctx, e.type, e.getMessage());
                } else {
                    LOG.error("the model failed for {} {}", ctx.method(), ctx.path(), cause);
                    writeError(ctx, ErrorType.INTERNAL, "the model failed: " + cause.getClass().getSimpleName());
                }
            }
            return null;
        }));
    }

    private CompletableFuture<JsonNode> answer(Context ctx, ModelApi api) {
        try {
            models.join().requireRoom();
            RequestFields request = RequestFields.parse(readBody(ctx), json);
            return api.answer(request, models.join(), config);
        } catch (ApiException e) {
            if (e.type != ErrorType.OVERLOADED || config.rejectDelay().isZero()) {
                throw e;
            }
            // Past capacity, clients that retry at once would keep the cores busy with refusals and starve the
            // scoring; a short pause before each 429 (no thread held) caps the refusal rate per connection.
            return CompletableFuture.supplyAsync(() -> {
                throw e;
            }, CompletableFuture.delayedExecutor(config.rejectDelay().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The body, read up to the limit: a body over it is refused without being read to its end. */
    private byte[] readBody(Context ctx) {
        long limit = config.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw ApiException.tooLarge("the body is " + declared + " bytes; this server accepts at most " + limit);
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw ApiException.tooLarge("the body is over " + limit + " bytes, the most this server accepts");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.invalid("the body could not be read: " + e.getMessage());
        }
    }

    private void writeError(Context ctx, ErrorType type, String message) {
        if (type == ErrorType.OVERLOADED || type == ErrorType.UNAVAILABLE) {
            ctx.header("Retry-After", "1");
        }
        if (type == ErrorType.AUTHENTICATION) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("message", message).put("type", type.type);
        writeJson(ctx, type.status, body);
    }

    private void writeJson(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(JSON).result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Stops accepting work (new requests get 503), scores what was admitted, lets Jetty finish writing the
     * responses in flight (up to the drain timeout), then releases the model.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.DRAINING || state == State.STOPPED) {
                return;
            }
            state = State.DRAINING;
        }
        ServedModels served = models.isDone() && !models.isCompletedExceptionally() ? models.join() : null;
        if (served != null) {
            served.close(config.drainTimeout());
        }
        app.stop();
        synchronized (this) {
            state = State.STOPPED;
        }
        stopped.countDown();
    }
}

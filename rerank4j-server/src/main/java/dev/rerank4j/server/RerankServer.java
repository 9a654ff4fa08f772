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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rerank HTTP server: Jina/Cohere v1 ({@code /v1/rerank}), Cohere v2 ({@code /v2/rerank}) and TEI
 * ({@code /rerank}) on one model, with health, info, metrics and model listing. It listens at once and loads
 * the model in the background (503 until ready); {@link #close()} drains requests in flight.
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
    /** Routes that answer only once the model is loaded. */
    private static final Set<String> MODEL_ROUTES = Set.of("/v1/rerank", "/v2/rerank", "/rerank", "/info",
            "/v1/models");

    private enum State { LOADING, READY, FAILED, DRAINING, STOPPED }

    @FunctionalInterface
    private interface RerankApi {
        CompletableFuture<JsonNode> rerank(RequestFields request, ModelService model, ServerConfig config);
    }

    private final ServerConfig config;
    private final Metrics metrics = new Metrics();
    private final ObjectMapper json;
    private final byte[] keyDigest;
    private final CompletableFuture<ModelService> model = new CompletableFuture<>();
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
        RerankServer server = new RerankServer(config);
        server.app.start();
        Thread.ofPlatform().name("rerank4j-loader").start(() -> server.load(loader));
        return server;
    }

    /**
     * Serves until the JVM is told to stop (SIGTERM, SIGINT): then stops accepting, finishes the requests in
     * flight and exits with status 0.
     */
    public static void serve(ServerConfig config, Supplier<Engine> loader) {
        RerankServer server = start(config, loader);
        LOG.info("listening on http://{}:{} (loading the model)", config.host(), server.port());
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
        ModelService m = server.model.join();
        LOG.info("serving {} on http://{}:{} (max input {} tokens{})", m.modelId(), config.host(), server.port(),
                m.maxInputLength(), config.requiresApiKey() ? ", API key required" : "");
        server.awaitStopped();
    }

    private void load(Supplier<Engine> loader) {
        try {
            Engine engine = loader.get();
            ModelService service;
            try {
                service = new ModelService(engine, config, metrics);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            synchronized (this) {
                if (state != State.LOADING) {
                    service.close(Duration.ZERO);
                    model.completeExceptionally(new RerankException("the server stopped while the model loaded"));
                    return;
                }
                state = State.READY;
            }
            model.complete(service);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                if (state == State.LOADING) {
                    state = State.FAILED;
                }
            }
            LOG.error("the model failed to load", e);
            model.completeExceptionally(e);
        }
    }

    /** Blocks until the model is loaded; throws its load error if it failed. */
    public void awaitReady() {
        try {
            model.join();
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

    private void routes() {
        app.before(this::guard);
        app.get("/health", ctx -> writeJson(ctx, 200, JsonNodeFactory.instance.objectNode().put("status", "ok")));
        app.get("/info", ctx -> writeJson(ctx, 200, ServerInfo.info(model.join(), config)));
        app.get("/v1/models", ctx -> writeJson(ctx, 200, ServerInfo.models(model.join(), createdEpochSeconds)));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.render()));
        app.post("/v1/rerank", ctx -> rerank(ctx, JinaApi::rerank));
        app.post("/v2/rerank", ctx -> rerank(ctx, CohereV2Api::rerank));
        app.post("/rerank", ctx -> rerank(ctx, TeiApi::rerank));
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
        if (path.equals("/health") || MODEL_ROUTES.contains(path)) {
            State s = currentState();
            switch (s) {
                case READY -> { }
                case LOADING -> throw new ApiException(ErrorType.UNAVAILABLE, "the model is loading");
                case FAILED -> throw new ApiException(ErrorType.UNAVAILABLE, "the model failed to load");
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

    private void rerank(Context ctx, RerankApi api) {
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
                    LOG.error("scoring failed for {} {}", ctx.method(), ctx.path(), cause);
                    writeError(ctx, ErrorType.INTERNAL, "scoring failed: " + cause.getClass().getSimpleName());
                }
            }
            return null;
        }));
    }

    private CompletableFuture<JsonNode> answer(Context ctx, RerankApi api) {
        try {
            model.join().requireRoom();
            RequestFields request = RequestFields.parse(readBody(ctx), json);
            return api.rerank(request, model.join(), config);
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
        ModelService service = model.getNow(null);
        if (service != null) {
            service.close(config.drainTimeout());
        }
        app.stop();
        synchronized (this) {
            state = State.STOPPED;
        }
        stopped.countDown();
    }
}

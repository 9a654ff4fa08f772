package dev.rerank4j.server;

import dev.rerank4j.api.LongDocuments;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server listens, what it accepts and how it batches.
 *
 * @param host address to bind (loopback by default: exposing the server is an explicit choice)
 * @param port TCP port; 0 picks a free one
 * @param apiKey the key clients must send as {@code Authorization: Bearer KEY}; null leaves the API open
 * @param maxLength tokens per (query, document) pair; 0 means the model's default
 * @param longDocuments what happens to pairs over maxLength (never a failed request)
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param maxDocuments most documents in one request (413 beyond)
 * @param maxQueuedRequests rerank requests admitted and not yet answered (429 beyond): this bounds memory
 * @param maxQueuedTokens estimated tokens of the admitted requests (429 beyond, except into an empty queue): this
 *     bounds the wait, whatever the size of the requests; size it to the model's tokens per second times the
 *     longest acceptable wait
 * @param batchTokens estimated tokens the scheduler merges from concurrent requests into one scoring call
 * @param batchWait how long the scheduler waits for more requests to join a batch; zero batches only what
 *     queued up while the previous batch ran
 * @param httpThreads Jetty's request threads (scoring runs on the engine's own threads)
 * @param maxConnections open connections beyond which Jetty stops accepting until one closes
 * @param drainTimeout how long shutdown waits for requests in flight
 * @param rejectDelay how long a 429 waits before it is sent, so that clients retrying at once cannot spend the
 *     cores on refusals; no thread is held meanwhile
 * @param acceptAnyModelName serve the first model to a request naming a model this server does not serve,
 *     for clients that must send some model name, instead of answering 422
 * @param ui whether to serve the playground ({@code /}) and Swagger UI ({@code /docs}) pages
 * @param instruction the default task instruction of instruction-aware rerankers (Qwen3-Reranker), which a
 *     request's {@code instruction} field overrides; null for the model card's
 */
public record ServerConfig(String host, int port, String apiKey, int maxLength, LongDocuments longDocuments,
                           long maxBodyBytes, int maxDocuments, int maxQueuedRequests, long maxQueuedTokens,
                           int batchTokens, Duration batchWait, int httpThreads, int maxConnections,
                           Duration drainTimeout, Duration rejectDelay, boolean acceptAnyModelName,
                           boolean ui, String instruction) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(longDocuments, "longDocuments");
        Objects.requireNonNull(batchWait, "batchWait");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(rejectDelay, "rejectDelay");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key must not be blank");
        }
        requirePositive("maxBodyBytes", maxBodyBytes);
        requirePositive("maxDocuments", maxDocuments);
        requirePositive("maxQueuedRequests", maxQueuedRequests);
        requirePositive("maxQueuedTokens", maxQueuedTokens);
        requirePositive("batchTokens", batchTokens);
        if (httpThreads < 8) {
            // Jetty's acceptor and selector threads come out of the same pool.
            throw new IllegalArgumentException("httpThreads must be >= 8, got " + httpThreads);
        }
        requirePositive("maxConnections", maxConnections);
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0 (0: the model's default), got " + maxLength);
        }
        if (batchWait.isNegative() || drainTimeout.isNegative() || rejectDelay.isNegative()) {
            throw new IllegalArgumentException("batchWait, drainTimeout and rejectDelay must not be negative");
        }
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, null, 0, LongDocuments.TRUNCATE, 8L << 20, 1024, 64, 65_536,
                16_384, Duration.ZERO, 32, 512, Duration.ofSeconds(30), Duration.ofMillis(100), false, true, null);
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings and keeps the others; {@link #build()} validates them. */
    public static final class Builder {
        private String host;
        private int port;
        private String apiKey;
        private int maxLength;
        private LongDocuments longDocuments;
        private long maxBodyBytes;
        private int maxDocuments;
        private int maxQueuedRequests;
        private long maxQueuedTokens;
        private int batchTokens;
        private Duration batchWait;
        private int httpThreads;
        private int maxConnections;
        private Duration drainTimeout;
        private Duration rejectDelay;
        private boolean acceptAnyModelName;
        private boolean ui;
        private String instruction;

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            apiKey = c.apiKey;
            maxLength = c.maxLength;
            longDocuments = c.longDocuments;
            maxBodyBytes = c.maxBodyBytes;
            maxDocuments = c.maxDocuments;
            maxQueuedRequests = c.maxQueuedRequests;
            maxQueuedTokens = c.maxQueuedTokens;
            batchTokens = c.batchTokens;
            batchWait = c.batchWait;
            httpThreads = c.httpThreads;
            maxConnections = c.maxConnections;
            drainTimeout = c.drainTimeout;
            rejectDelay = c.rejectDelay;
            acceptAnyModelName = c.acceptAnyModelName;
            ui = c.ui;
            instruction = c.instruction;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder apiKey(String value) {
            apiKey = value;
            return this;
        }

        public Builder maxLength(int value) {
            maxLength = value;
            return this;
        }

        public Builder longDocuments(LongDocuments value) {
            longDocuments = value;
            return this;
        }

        public Builder maxBodyBytes(long value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxDocuments(int value) {
            maxDocuments = value;
            return this;
        }

        public Builder maxQueuedRequests(int value) {
            maxQueuedRequests = value;
            return this;
        }

        public Builder maxQueuedTokens(long value) {
            maxQueuedTokens = value;
            return this;
        }

        public Builder batchTokens(int value) {
            batchTokens = value;
            return this;
        }

        public Builder batchWait(Duration value) {
            batchWait = value;
            return this;
        }

        public Builder httpThreads(int value) {
            httpThreads = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder rejectDelay(Duration value) {
            rejectDelay = value;
            return this;
        }

        public Builder acceptAnyModelName(boolean value) {
            acceptAnyModelName = value;
            return this;
        }

        public Builder ui(boolean value) {
            ui = value;
            return this;
        }

        public Builder instruction(String value) {
            instruction = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, apiKey, maxLength, longDocuments, maxBodyBytes, maxDocuments,
                    maxQueuedRequests, maxQueuedTokens, batchTokens, batchWait, httpThreads, maxConnections,
                    drainTimeout, rejectDelay, acceptAnyModelName, ui, instruction);
        }
    }

    public boolean requiresApiKey() {
        return apiKey != null;
    }
}

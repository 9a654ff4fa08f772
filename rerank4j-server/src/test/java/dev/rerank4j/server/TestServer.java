package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A real server on an ephemeral loopback port, and an HTTP client that speaks to it. */
final class TestServer implements AutoCloseable {
    static final Path MODEL = Path.of("../testdata/models/jinabert-mini");
    static final ObjectMapper JSON = new ObjectMapper();

    final RerankServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;

    private TestServer(RerankServer server) {
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    static Engine loadModel() {
        return Engine.load(MODEL, EngineOptions.defaults().withThreads(2));
    }

    /** The defaults, on a free port. */
    static ServerConfig.Builder config() {
        return ServerConfig.defaults().toBuilder().port(0);
    }

    /** Starts the server and waits for the model. */
    static TestServer start(ServerConfig.Builder config) {
        TestServer t = startLoading(config, TestServer::loadModel);
        t.server.awaitReady();
        return t;
    }

    static TestServer startLoading(ServerConfig.Builder config, Supplier<Engine> loader) {
        return new TestServer(RerankServer.start(config.build(), loader));
    }

    /** Starts the server with these models and waits for them. */
    static TestServer start(ServerConfig.Builder config, List<ModelSource> models) {
        TestServer t = new TestServer(RerankServer.start(config.build(), models));
        t.server.awaitReady();
        return t;
    }

    /** The test cross-encoder (jinabert-mini), answering also to these names. */
    static ModelSource crossEncoder(String... aliases) {
        return new ModelSource(MODEL.toString(), TestServer::loadModel, List.of(aliases));
    }

    /** The bundled bi-encoder, all-MiniLM-L6-v2 (from its Maven artifact), answering also to these names. */
    static ModelSource biEncoder(String... aliases) {
        return new ModelSource("bundled", TestServer::loadBiEncoder, List.of(aliases));
    }

    static Engine loadBiEncoder() {
        return Engine.load("bundled", EngineOptions.defaults().withThreads(2));
    }

    /** A response with its body as text. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
            }
        }

        /** Asserts the API's error shape and returns the message. */
        String error(int expectedStatus, String expectedType) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(headers.firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
            JsonNode e = json().get("error");
            assertThat(e).as("error object in %s", body).isNotNull();
            assertThat(e.get("type").asText()).isEqualTo(expectedType);
            assertThat(e.get("message").isTextual()).isTrue();
            assertThat(json().size()).isEqualTo(1);
            return e.get("message").asText();
        }
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    Response get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Response post(String path, String body, String... headers) {
        return postBytes(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response postBytes(String path, byte[] body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    CompletableFuture<Response> postAsync(String path, String body) {
        HttpRequest r = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .thenApply(x -> new Response(x.statusCode(), x.headers(), x.body()));
    }

    Response send(HttpRequest r) {
        try {
            HttpResponse<String> x = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(x.statusCode(), x.headers(), x.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One sample's value from the Prometheus text of /metrics, e.g. {@code rerank4j_batch_requests_count}. */
    double metric(String sample) {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        throw new AssertionError("no sample " + sample + " in /metrics");
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}

package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SIGTERM to a real server process: it refuses new work, finishes the request in flight and exits 0. */
class GracefulShutdownTest {
    private static final Pattern SERVING = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermDrainsInFlightRequestsAndExitsZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("rerank4j-serve", ".log");
        // A long batch window keeps the first request in flight while the signal arrives.
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(),
                TestServer.MODEL.toString(), "2000", "64", "2")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            SchedulingTest.waitFor(() -> SERVING.matcher(read(log)).find() || !p.isAlive());
            Matcher serving = SERVING.matcher(read(log));
            assertThat(serving.find()).as("serving; log: %s", read(log)).isTrue();
            URI base = URI.create("http://127.0.0.1:" + serving.group(1));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "{\"query\": \"q\", \"documents\": [\"one\", \"two\"]}";
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(post(base, body),
                    HttpResponse.BodyHandlers.ofString());
            SchedulingTest.waitFor(() -> metric(http, base).contains("rerank4j_requests_admitted{model=\"jinabert-mini\"} 1"));

            p.destroy();
            SchedulingTest.waitFor(() -> read(log).contains("shutting down"));
            HttpResponse<String> late = http.send(post(base, body), HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(TestServer.JSON.readTree(late.body()).get("error").get("message").asText())
                    .contains("shutting down");

            HttpResponse<String> done = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(TestServer.JSON.readTree(done.body()).get("results")).hasSize(2);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited; log: %s", read(log)).isTrue();
            assertThat(p.exitValue()).as("exit status; log: %s", read(log)).isZero();
            assertThat(read(log)).contains("stopped");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpRequest post(URI base, String body) {
        return HttpRequest.newBuilder(base.resolve("/v1/rerank")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String metric(HttpClient http, URI base) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

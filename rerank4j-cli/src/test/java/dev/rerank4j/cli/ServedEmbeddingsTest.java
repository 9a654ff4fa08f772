package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.server.ModelSource;
import dev.rerank4j.server.RerankServer;
import dev.rerank4j.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The server's embedding routes give the vectors of {@code rerank4j embed}, for the bundled all-MiniLM-L6-v2. */
class ServedEmbeddingsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TEXTS = IntStream.range(0, 40)
            .mapToObj(i -> "Sentence " + i + " about " + "deep learning and search, ".repeat(1 + i % 5)).toList();

    static JsonNode post(HttpClient http, URI uri, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void openAiAndTeiVectorsEqualTheEmbedCommands() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String t : TEXTS) {
            lines.append(JSON.createObjectNode().put("text", t)).append('\n');
        }
        CliRun cli = CliRun.withStdin(lines.toString(), "embed", "--model", "bundled", "--input", "-");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        List<JsonNode> expected = cli.out().lines().map(l -> {
            try {
                return JSON.readTree(l).get("embedding");
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(expected).hasSize(TEXTS.size());

        ServerConfig config = ServerConfig.defaults().toBuilder().port(0).build();
        RerankServer server = RerankServer.start(config, List.of(ModelSource.of("bundled",
                () -> Engine.load("bundled", EngineOptions.defaults()))));
        try (HttpClient http = HttpClient.newHttpClient()) {
            server.awaitReady();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            String texts = JSON.valueToTree(TEXTS).toString();
            JsonNode openAi = post(http, base.resolve("/v1/embeddings"), "{\"input\": " + texts + "}").get("data");
            JsonNode tei = post(http, base.resolve("/embed"), "{\"inputs\": " + texts + "}");
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(openAi.get(i).get("embedding")).as("/v1/embeddings text %d", i).isEqualTo(expected.get(i));
                assertThat(tei.get(i)).as("/embed text %d", i).isEqualTo(expected.get(i));
            }
        } finally {
            server.close();
        }
    }
}

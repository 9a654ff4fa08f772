package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A Qwen3 reranker behind the APIs: the request's instruction field, and the server's default instruction. */
class Qwen3InstructionTest {
    static final Path MODEL = Path.of("../testdata/models/qwen3-reranker-mini");

    static Engine load() {
        return Engine.load(MODEL, EngineOptions.defaults().withThreads(2));
    }

    static JsonNode golden(String id) throws IOException {
        for (String line : Files.readAllLines(MODEL.resolve("golden.jsonl"))) {
            JsonNode n = TestServer.JSON.readTree(line);
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no golden pair " + id);
    }

    static double difference(JsonNode g) {
        return g.get("logit_yes_fp64").asDouble() - g.get("logit_no_fp64").asDouble();
    }

    static ObjectNode body(JsonNode g, String documentsField, boolean withInstruction) {
        ObjectNode b = TestServer.JSON.createObjectNode().put("query", g.get("query").asText());
        b.putArray(documentsField).add(g.get("document").asText());
        return withInstruction ? b.put("instruction", g.get("instruction").asText()) : b;
    }

    @Test
    void aRequestsInstructionFieldOverridesTheServersDefault() throws IOException {
        JsonNode custom = golden("pub-13-custom-instruction");
        JsonNode plain = golden("pub-05");
        ServerConfig.Builder config = TestServer.config().instruction(custom.get("instruction").asText());
        try (TestServer t = TestServer.startLoading(config, Qwen3InstructionTest::load)) {
            t.server.awaitReady();
            JsonNode jina = t.post("/v1/rerank", body(custom, "documents", false).toString()).json();
            assertThat(jina.get("results").get(0).get("relevance_score").asDouble())
                    .isCloseTo(1 / (1 + Math.exp(-difference(custom))), within(3e-5));
            assertThat(jina.get("usage").get("total_tokens").asInt()).isEqualTo(custom.get("input_ids").size());
            ObjectNode tei = body(plain, "texts", true).put("raw_scores", true);
            assertThat(t.post("/rerank", tei.toString()).json().get(0).get("score").asDouble())
                    .isCloseTo(difference(plain), within(1e-4));
            JsonNode cohere = t.post("/v2/rerank", body(plain, "documents", true).toString()).json();
            assertThat(cohere.get("results").get(0).get("relevance_score").asDouble())
                    .isCloseTo(1 / (1 + Math.exp(-difference(plain))), within(3e-5));
        }
    }
}

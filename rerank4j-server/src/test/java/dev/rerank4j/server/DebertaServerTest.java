package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server on the DeBERTa-v3 fixture, over real HTTP: its architecture, and the reference's scores. */
class DebertaServerTest {
    static final Path MODEL = Path.of("../testdata/models/deberta-v3-mini");

    @Test
    void rerankGivesEachDocumentItsReferenceScore() throws Exception {
        List<JsonNode> golden = Files.readAllLines(MODEL.resolve("golden.jsonl")).stream()
                .map(l -> {
                    try {
                        return TestServer.JSON.readTree(l);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }).toList();
        try (TestServer t = TestServer.startLoading(TestServer.config(),
                () -> Engine.load(MODEL, EngineOptions.defaults().withThreads(2)))) {
            t.server.awaitReady();
            assertThat(t.get("/info").json().get("architecture").asText()).isEqualTo("DEBERTA_V2_CROSS_ENCODER");
            // one request per golden pair (each has its own query), all in flight together
            var pending = golden.stream().map(g -> {
                ObjectNode body = TestServer.JSON.createObjectNode();
                body.put("query", g.get("query").asText());
                ArrayNode docs = body.putArray("documents");
                docs.add(g.get("document").asText());
                return t.postAsync("/v1/rerank", body.toString());
            }).toList();
            for (int i = 0; i < golden.size(); i++) {
                TestServer.Response r = pending.get(i).join();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode result = r.json().get("results").get(0);
                double logit = golden.get(i).get("logit_fp64").asDouble();
                assertThat(result.get("relevance_score").asDouble()).as(golden.get(i).get("id").asText())
                        .isCloseTo(1 / (1 + Math.exp(-logit)), within(2.5e-5));
            }
        }
    }
}

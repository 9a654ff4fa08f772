package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.LongDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An XLM-RoBERTa reranker (xlmr-mini, the bge-reranker layout) behind the HTTP APIs, long documents chunked. */
class XlmRobertaServerTest {
    static final Path XLMR = Path.of("../testdata/models/xlmr-mini");

    @Test
    void ranksWithTheReferenceLogitsAndChunksLongDocuments() throws IOException {
        List<JsonNode> golden = new ArrayList<>();
        for (String line : Files.readAllLines(XLMR.resolve("golden.jsonl"))) {
            golden.add(TestServer.JSON.readTree(line));
        }
        JsonNode a = golden.get(2);
        JsonNode b = golden.stream().filter(g -> g.get("query").equals(a.get("query")) && g != a).findFirst()
                .orElseThrow();
        StringBuilder longDoc = new StringBuilder();
        golden.forEach(g -> longDoc.append(g.get("document").asText()).append(' '));
        try (TestServer t = TestServer.startLoading(TestServer.config().longDocuments(LongDocuments.CHUNK),
                () -> Engine.load(XLMR, EngineOptions.defaults().withThreads(2)))) {
            t.server.awaitReady();
            JsonNode info = t.get("/info").json();
            assertThat(info.get("architecture").asText()).isEqualTo("XLM_ROBERTA_CROSS_ENCODER");
            assertThat(info.get("max_input_length").asInt()).isEqualTo(512);

            ObjectNode body = TestServer.JSON.createObjectNode().put("query", a.get("query").asText());
            body.putArray("documents").add(a.get("document").asText()).add(b.get("document").asText())
                    .add(longDoc.toString());
            JsonNode results = t.post("/v1/rerank", body.toString()).json().get("results");
            assertThat(results).hasSize(3);
            for (JsonNode r : results) {
                int i = r.get("index").asInt();
                if (i < 2) {
                    double logit = (i == 0 ? a : b).get("logit_fp64").asDouble();
                    assertThat(r.get("relevance_score").asDouble()).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-4));
                }
            }
            // TEI's route on the same model: the long document is scored by its windows, not refused.
            ObjectNode tei = TestServer.JSON.createObjectNode().put("query", a.get("query").asText());
            tei.putArray("texts").add(longDoc.toString());
            TestServer.Response r = t.post("/rerank", tei.toString());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get(0).get("score").asDouble()).isBetween(0.0, 1.0);
        }
    }
}

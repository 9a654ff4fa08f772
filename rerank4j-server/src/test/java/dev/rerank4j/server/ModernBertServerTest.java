package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real server on the ModernBERT fixture: the reference's scores through the Jina and TEI routes. */
class ModernBertServerTest {
    static final Path MODEL = Path.of("../testdata/models/modernbert-mini");
    /** golden.jsonl's pub-00-tiny ("hi", "yo"): logit_fp64 2.0907206, sigmoid 0.8899980. */
    static final double YO_LOGIT = 2.090720638575976;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.startLoading(TestServer.config(), () -> Engine.load(MODEL, EngineOptions.defaults().withThreads(2)));
        t.server.awaitReady();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void infoNamesTheArchitectureAndTheLongLimit() {
        JsonNode info = t.get("/info").json();
        assertThat(info.get("architecture").asText()).isEqualTo("MODERNBERT_CROSS_ENCODER");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(8192);
    }

    @Test
    void jinaRerankScoresAsTheReference() {
        TestServer.Response r = t.post("/v1/rerank", "{\"query\": \"hi\", \"documents\": [\"Honey bees dance.\", \"yo\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(2);
        JsonNode yo = results.get(0).get("index").asInt() == 1 ? results.get(0) : results.get(1);
        assertThat(yo.get("relevance_score").asDouble()).isCloseTo(1 / (1 + Math.exp(-YO_LOGIT)), within(1e-4));
    }

    @Test
    void teiRawScoresAreTheReferenceLogits() {
        TestServer.Response r = t.post("/rerank", "{\"query\": \"hi\", \"texts\": [\"yo\"], \"raw_scores\": true}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get(0).get("score").asDouble()).isCloseTo(YO_LOGIT, within(1e-4));
    }
}

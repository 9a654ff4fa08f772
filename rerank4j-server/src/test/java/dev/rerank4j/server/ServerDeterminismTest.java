package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server merges concurrent requests into shared batches; a request's score must not depend on what it was
 * merged with.
 */
class ServerDeterminismTest {
    private static final String QUERY = "Organic skincare products for sensitive skin";
    private static final String DOCUMENT = "Natural organic skincare range for sensitive skin";

    @Test
    void oneRequestRepeatedAmongOtherClientsHasOneScoreEqualToTheLibrarys() throws Exception {
        String body = "{\"query\": \"" + QUERY + "\", \"documents\": [\"" + DOCUMENT + "\"]}";
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger otherAnswers = new AtomicInteger();
        ExecutorService others = Executors.newFixedThreadPool(3);
        try (TestServer t = TestServer.start(TestServer.config());
             Engine engine = TestServer.loadModel(); Reranker reference = engine.reranker()) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int client = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; !done.get(); i++) {
                        TestServer.Response r = t.post("/v1/rerank", otherBody(client, i));
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        otherAnswers.incrementAndGet();
                    }
                }, others));
            }
            Set<Double> scores = new TreeSet<>();
            for (int i = 0; i < 50; i++) {
                TestServer.Response r = t.post("/v1/rerank", body);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                scores.add(r.json().get("results").get(0).get("relevance_score").asDouble());
            }
            done.set(true);
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            double expected = reference.score(List.of(new TextPair(QUERY, DOCUMENT))).get(0).score();
            assertThat(scores).containsExactly(expected);
            assertThat(otherAnswers.get()).as("requests from the other clients").isPositive();
        } finally {
            others.shutdownNow();
        }
    }

    /** Bodies of varied sizes and lengths, so the repeated request lands in batches of every shape. */
    private static String otherBody(int client, int i) {
        StringBuilder docs = new StringBuilder();
        for (int d = 0; d <= (client + i) % 5; d++) {
            docs.append(d == 0 ? "" : ", ").append("\"document ").append(d).append(" of client ").append(client)
                    .append(" eco friendly kitchen tools".repeat(1 + (i + d) % 7)).append('"');
        }
        return "{\"query\": \"query " + i + " from client " + client + "\", \"documents\": [" + docs + "]}";
    }
}

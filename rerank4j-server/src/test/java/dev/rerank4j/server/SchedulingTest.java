package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.RankOptions;
import dev.rerank4j.api.Ranking;
import dev.rerank4j.api.Reranker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cross-request batching, back-pressure (429) and the loading state (503). */
class SchedulingTest {

    static String body(int i) {
        return "{\"query\": \"query " + i + "\", \"documents\": [\"first doc " + i + "\", \"second doc " + i
                + "\", \"third\"]}";
    }

    @Test
    void concurrentRequestsAreScoredInOneBatch() throws Exception {
        int n = 8;
        try (TestServer t = TestServer.start(TestServer.config().batchWait(Duration.ofMillis(400)));
             Engine engine = TestServer.loadModel(); Reranker reference = engine.reranker()) {
            List<CompletableFuture<TestServer.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(t.postAsync("/v1/rerank", body(i)));
            }
            for (int i = 0; i < n; i++) {
                TestServer.Response r = answers.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                Ranking expected = reference.rank("query " + i, List.of("first doc " + i, "second doc " + i, "third"),
                        RankOptions.defaults());
                for (int k = 0; k < 3; k++) {
                    assertThat(r.json().get("results").get(k).get("index").asInt())
                            .isEqualTo(expected.results().get(k).index());
                    assertThat(r.json().get("results").get(k).get("relevance_score").asDouble())
                            .isEqualTo(expected.results().get(k).score());
                }
            }
            double batches = t.metric("rerank4j_batch_requests_count{model=\"jinabert-mini\"}");
            double requests = t.metric("rerank4j_batch_requests_sum{model=\"jinabert-mini\"}");
            assertThat(requests).isEqualTo(n);
            assertThat(batches).as("batches for %d requests", n).isLessThan(n);
            assertThat(t.metric("rerank4j_batch_requests_bucket{model=\"jinabert-mini\",le=\"1\"}")).isLessThan(batches);
            assertThat(t.metric("rerank4j_batch_inputs_sum{model=\"jinabert-mini\"}")).isEqualTo(3 * n);
        }
    }

    @Test
    void aFullQueueAnswers429Quickly() throws Exception {
        ServerConfig.Builder config = TestServer.config().maxQueuedRequests(2).batchWait(Duration.ofMillis(1500))
                .rejectDelay(Duration.ofMillis(200));
        try (TestServer t = TestServer.start(config)) {
            CompletableFuture<TestServer.Response> a = t.postAsync("/v1/rerank", body(1));
            CompletableFuture<TestServer.Response> b = t.postAsync("/v1/rerank", body(2));
            waitFor(() -> t.metric("rerank4j_requests_admitted{model=\"jinabert-mini\"}") == 2);
            long start = System.nanoTime();
            TestServer.Response refused = t.post("/v1/rerank", body(3));
            // Answered after the reject delay, long before the admitted requests finish.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200),
                    Duration.ofMillis(1000));
            assertThat(refused.error(429, "overloaded_error")).contains("queue is full");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(a.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(b.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(t.metric("rerank4j_queue_rejections_total{model=\"jinabert-mini\"}")).isEqualTo(1);
            assertThat(t.post("/v1/rerank", body(4)).status()).isEqualTo(200);
        }
    }

    @Test
    void theTokenBoundRefusesLargeRequestsBehindOthersButNotIntoAnEmptyQueue() throws Exception {
        ServerConfig.Builder config = TestServer.config().maxQueuedTokens(200).batchWait(Duration.ofMillis(1500))
                .rejectDelay(Duration.ZERO);
        String large = "{\"query\": \"q\", \"documents\": " + RerankApiTest.jsonArray(
                java.util.Collections.nCopies(10, "a document of about one hundred characters, which the "
                        + "server estimates at some 25 tokens")) + "}";
        try (TestServer t = TestServer.start(config)) {
            CompletableFuture<TestServer.Response> small = t.postAsync("/v1/rerank", body(1));
            waitFor(() -> t.metric("rerank4j_requests_admitted{model=\"jinabert-mini\"}") == 1);
            assertThat(t.post("/v1/rerank", large).error(429, "overloaded_error")).contains("200 tokens");
            assertThat(t.post("/v1/rerank", body(2)).status()).isEqualTo(200);
            assertThat(small.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            TestServer.Response alone = t.post("/v1/rerank", large);
            assertThat(alone.status()).as(alone.body()).isEqualTo(200);
            assertThat(alone.json().get("results")).hasSize(10);
        }
    }

    @Test
    void whileTheModelLoadsRequestsGet503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer t = TestServer.startLoading(TestServer.config(), () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestServer.loadModel();
        })) {
            assertThat(t.get("/health").error(503, "unavailable_error")).contains("loading");
            assertThat(t.post("/v1/rerank", body(1)).error(503, "unavailable_error")).contains("loading");
            assertThat(t.get("/info").error(503, "unavailable_error")).contains("loading");
            assertThat(t.get("/metrics").status()).isEqualTo(200);
            release.countDown();
            t.server.awaitReady();
            assertThat(t.get("/health").status()).isEqualTo(200);
            assertThat(t.post("/v1/rerank", body(1)).status()).isEqualTo(200);
        }
    }

    interface Check {
        boolean done();
    }

    static void waitFor(Check check) throws InterruptedException {
        // Only a bound on failure: a child JVM took 11-15 s to load the model with the machine's load at 36.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 60 s");
            }
            Thread.sleep(10);
        }
    }
}

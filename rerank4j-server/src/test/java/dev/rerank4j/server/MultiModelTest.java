package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Several models in one process: routing on 'model', listing, per-model metrics and queues, load errors. */
@ExtendWith(TwoModels.class)
class MultiModelTest {
    static final String QUERY = "which animals sleep by day";
    static final List<String> DOCS = List.of("Owls sleep by day and hunt at night.", "Trains run on time.",
            "Bats rest in caves during daylight.");

    /** The library's scores for (QUERY, each of DOCS), in document order. */
    static List<PairScore> reference(Reranker reranker) {
        return reranker.score(DOCS.stream().map(d -> new TextPair(QUERY, d)).toList());
    }

    static String body(String model, String documentsField) {
        return "{" + (model.isEmpty() ? "" : "\"model\": \"" + model + "\", ") + "\"query\": \"" + QUERY + "\", \""
                + documentsField + "\": " + RerankApiTest.jsonArray(DOCS) + "}";
    }

    @ParameterizedTest(name = "{0} model=''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/rerank | ''                                     | cross
            /v1/rerank | jinabert-mini                          | cross
            /v1/rerank | jinaai/jina-reranker-v1-tiny-en        | cross
            /v1/rerank | sentence-transformers/all-MiniLM-L6-v2 | bi
            /v1/rerank | all-MiniLM-L6-v2                       | bi
            /v2/rerank | rerank-v3.5                            | cross
            /v2/rerank | all-MiniLM-L6-v2                       | bi
            /rerank    | ''                                     | cross
            /rerank    | all-MiniLM-L6-v2                       | bi
            """)
    void eachRouteAndModelNameReachesTheRightModel(String route, String model, String expected) {
        TestServer.Response r = TwoModels.t.post(route, body(model, route.equals("/rerank") ? "texts" : "documents"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<PairScore> want = reference(expected.equals("cross") ? TwoModels.crossEncoder
                : TwoModels.biEncoderReranker);
        JsonNode results = route.equals("/rerank") ? r.json() : r.json().get("results");
        assertThat(results).hasSize(DOCS.size());
        for (JsonNode result : results) {
            double score = result.get(route.equals("/rerank") ? "score" : "relevance_score").asDouble();
            assertThat(score).as("document %s", result.get("index")).isEqualTo(want.get(result.get("index").asInt()).score());
        }
        if (route.equals("/v1/rerank")) {
            assertThat(r.json().get("model").asText())
                    .isEqualTo(expected.equals("cross") ? TwoModels.CROSS_ENCODER : TwoModels.BI_ENCODER);
        }
    }

    @Test
    void modelsAndInfoListEveryModelTheDefaultFirst() {
        JsonNode models = TwoModels.t.get("/v1/models").json();
        assertThat(models.get("data")).extracting(m -> m.get("id").asText())
                .containsExactly(TwoModels.CROSS_ENCODER, TwoModels.BI_ENCODER);
        assertThat(models.get("data")).extracting(m -> m.get("type").asText()).containsExactly("reranker", "embedding");
        assertThat(models.get("data").get(0).get("aliases")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(TwoModels.CROSS_ENCODER_ALIASES);
        JsonNode info = TwoModels.t.get("/info").json();
        assertThat(info.get("model_id").asText()).isEqualTo(TwoModels.CROSS_ENCODER);
        assertThat(info.get("models")).extracting(m -> m.get("model_id").asText())
                .containsExactly(TwoModels.CROSS_ENCODER, TwoModels.BI_ENCODER);
        assertThat(info.get("models").get(1).get("model_type").asText()).isEqualTo("embedding");
        assertThat(info.get("models").get(1).get("dimension").asInt()).isEqualTo(384);
        assertThat(info.get("models").get(1).get("max_input_length").asInt()).isEqualTo(256);
        assertThat(info.get("models").get(1).get("architecture").asText()).isEqualTo("BERT_BI_ENCODER");
    }

    @Test
    void metricsHaveSeriesPerModel() {
        TwoModels.t.post("/v1/rerank", body("", "documents"));
        TwoModels.t.post("/v1/embeddings", "{\"input\": [\"one\", \"two\"]}");
        for (String model : List.of(TwoModels.CROSS_ENCODER, TwoModels.BI_ENCODER)) {
            String label = "{model=\"" + model + "\"}";
            assertThat(TwoModels.t.metric("rerank4j_tokens_total" + label)).as(model).isPositive();
            assertThat(TwoModels.t.metric("rerank4j_batch_requests_count" + label)).as(model).isPositive();
            assertThat(TwoModels.t.metric("rerank4j_queue_depth" + label)).as(model).isZero();
            assertThat(TwoModels.t.metric("rerank4j_queue_rejections_total" + label)).as(model).isZero();
        }
        assertThat(TwoModels.t.metric("rerank4j_http_requests_total{route=\"/v1/embeddings\",status=\"200\"}"))
                .isPositive();
    }

    @Test
    void aModelThatIsNotServedIs422NamingTheServedOnes() {
        String message = TwoModels.t.post("/v1/rerank", body("gpt-4", "documents")).error(422, "validation_error");
        assertThat(message).contains("model 'gpt-4' is not served here", "'jinabert-mini'", "'rerank-v3.5'",
                "'sentence-transformers/all-MiniLM-L6-v2'");
    }

    static Engine copy(String id) {
        return Engine.load(TestServer.MODEL, EngineOptions.defaults().withThreads(1), id);
    }

    @Test
    void oneModelsOverloadDoesNotRefuseTheOthersRequests() throws Exception {
        ServerConfig.Builder config = TestServer.config().maxQueuedRequests(1).batchWait(Duration.ofMillis(1500))
                .rejectDelay(Duration.ZERO);
        try (TestServer t = TestServer.start(config, List.of(ModelSource.of("a", () -> copy("a")),
                ModelSource.of("b", () -> copy("b"))))) {
            CompletableFuture<TestServer.Response> first = t.postAsync("/v1/rerank", body("a", "documents"));
            SchedulingTest.waitFor(() -> t.metric("rerank4j_requests_admitted{model=\"a\"}") == 1);
            assertThat(t.post("/v1/rerank", body("a", "documents")).error(429, "overloaded_error"))
                    .contains("queue is full for model 'a'");
            TestServer.Response other = t.post("/v1/rerank", body("b", "documents"));
            assertThat(other.status()).as(other.body()).isEqualTo(200);
            assertThat(other.json().get("model").asText()).isEqualTo("b");
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(t.metric("rerank4j_queue_rejections_total{model=\"a\"}")).isEqualTo(1);
            assertThat(t.metric("rerank4j_queue_rejections_total{model=\"b\"}")).isZero();
        }
    }

    @Test
    void acceptAnyModelNameServesTheDefaultModelOfTheRoute() {
        try (TestServer t = TestServer.start(TestServer.config().acceptAnyModelName(true),
                List.of(TestServer.crossEncoder(), TestServer.biEncoder()))) {
            TestServer.Response r = t.post("/v1/rerank", body("gpt-4", "documents"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("model").asText()).isEqualTo(TwoModels.CROSS_ENCODER);
            assertThat(t.get("/info").json().get("accept_any_model_name").asBoolean()).isTrue();
            TestServer.Response embedded = t.post("/v1/embeddings", "{\"model\": \"text-embedding-3-small\", "
                    + "\"input\": \"x\"}");
            assertThat(embedded.status()).as(embedded.body()).isEqualTo(200);
            assertThat(embedded.json().get("model").asText()).isEqualTo(TwoModels.BI_ENCODER);
        }
    }

    @Test
    void loadErrorsNameTheModel() {
        List<ModelSource> broken = List.of(TestServer.crossEncoder(), new ModelSource("models/missing", () -> {
            throw new IllegalArgumentException("no config.json in models/missing");
        }, List.of()));
        RerankServer server = RerankServer.start(TestServer.config().build(), broken);
        try {
            assertThatThrownBy(server::awaitReady)
                    .hasMessageContaining("model 'models/missing' failed to load: no config.json in models/missing");
        } finally {
            server.close();
        }
        RerankServer clash = RerankServer.start(TestServer.config().build(),
                List.of(TestServer.crossEncoder(), TestServer.crossEncoder()));
        try {
            assertThatThrownBy(clash::awaitReady).hasMessageContaining(
                    "models 'jinabert-mini' and 'jinabert-mini' are both named 'jinabert-mini'");
        } finally {
            clash.close();
        }
    }
}

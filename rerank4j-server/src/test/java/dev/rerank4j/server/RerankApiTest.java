package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.RankOptions;
import dev.rerank4j.api.RankedDocument;
import dev.rerank4j.api.Ranking;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each endpoint's happy path over real HTTP, field by field, against the library's own answers. */
class RerankApiTest {
    static final String QUERY = "Organic skincare products for sensitive skin";
    static final List<String> DOCS = List.of(
            "Eco-friendly kitchenware for modern homes",
            "Biodegradable cleaning supplies for eco-conscious consumers",
            "Organic cotton baby clothes for sensitive skin",
            "Natural organic skincare range for sensitive skin",
            "Tech gadgets for smart homes: 2024 edition",
            "Sustainable gardening tools and compost solutions",
            "Sensitive skin-friendly facial cleansers and toners",
            "Organic food wraps and storage solutions",
            "All-natural pet food for dogs with allergies",
            "Yoga mats made from recycled materials");
    /** The request body of the jina-reranker-v1-tiny-en model card's curl example, verbatim. */
    static final String MODEL_CARD_BODY = """
            {
              "model": "jina-reranker-v1-tiny-en",
              "query": "Organic skincare products for sensitive skin",
              "documents": [
                "Eco-friendly kitchenware for modern homes",
                "Biodegradable cleaning supplies for eco-conscious consumers",
                "Organic cotton baby clothes for sensitive skin",
                "Natural organic skincare range for sensitive skin",
                "Tech gadgets for smart homes: 2024 edition",
                "Sustainable gardening tools and compost solutions",
                "Sensitive skin-friendly facial cleansers and toners",
                "Organic food wraps and storage solutions",
                "All-natural pet food for dogs with allergies",
                "Yoga mats made from recycled materials"
              ],
              "top_n": 3
            }""";
    static final int MAX_LENGTH = 64;
    /** Scores agree to float noise: the server may batch a pair with other requests' pairs. */
    static final org.assertj.core.data.Offset<Double> CLOSE = within(1e-5);

    static TestServer t;
    static Engine engine;
    static Reranker reference;

    @BeforeAll
    static void start() {
        t = TestServer.start(TestServer.config().maxLength(MAX_LENGTH),
                List.of(TestServer.crossEncoder("jina-reranker-v1-tiny-en")));
        engine = TestServer.loadModel();
        reference = engine.reranker();
    }

    @AfterAll
    static void stop() {
        t.close();
        engine.close();
    }

    static ScoreOptions scoring() {
        return ScoreOptions.defaults().withMaxLength(MAX_LENGTH);
    }

    @Test
    void theModelCardsCurlExampleWorksVerbatim() {
        TestServer.Response r = t.post("/v1/rerank", MODEL_CARD_BODY, "Authorization", "Bearer YOUR_API_KEY");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        Ranking expected = reference.rank(QUERY, DOCS, new RankOptions(3, true, scoring()));
        assertThat(fieldNames(body)).containsExactly("id", "model", "usage", "results", "meta");
        assertThat(body.get("model").asText()).isEqualTo("jinabert-mini");
        assertThat(fieldNames(body.get("usage"))).containsExactly("total_tokens");
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(expected.totalTokens()).isPositive();
        JsonNode results = body.get("results");
        assertThat(results).hasSize(3);
        for (int i = 0; i < 3; i++) {
            RankedDocument e = expected.results().get(i);
            JsonNode got = results.get(i);
            assertThat(fieldNames(got)).containsExactly("index", "relevance_score", "document");
            assertThat(got.get("index").asInt()).isEqualTo(e.index());
            assertThat(got.get("relevance_score").asDouble()).isCloseTo(e.score(), CLOSE);
            assertThat(got.get("relevance_score").asDouble()).isCloseTo(1 / (1 + Math.exp(-e.logit())), CLOSE);
            assertThat(fieldNames(got.get("document"))).containsExactly("text");
            assertThat(got.get("document").get("text").asText()).isEqualTo(DOCS.get(e.index()));
        }
        assertThat(results.get(0).get("relevance_score").asDouble())
                .isGreaterThanOrEqualTo(results.get(1).get("relevance_score").asDouble());
    }

    @Test
    void jinaAcceptsDocumentObjectsAndCanLeaveTheTextOut() {
        String body = """
                {"query": "sensitive skin", "documents": [{"text": "aloe vera cream"}, "a hammer", {"text": "soap"}],
                 "return_documents": false}""";
        TestServer.Response r = t.post("/v1/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Ranking expected = reference.rank("sensitive skin", List.of("aloe vera cream", "a hammer", "soap"),
                new RankOptions(0, false, scoring()));
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(fieldNames(results.get(i))).containsExactly("index", "relevance_score");
            assertThat(results.get(i).get("index").asInt()).isEqualTo(expected.results().get(i).index());
            assertThat(results.get(i).get("relevance_score").asDouble())
                    .isCloseTo(expected.results().get(i).score(), CLOSE);
        }
    }

    @Test
    void overLongDocumentsAreTruncatedNotRefused() {
        String longDoc = "skin care words ".repeat(500);
        TestServer.Response r = t.post("/v1/rerank", "{\"query\": \"skin\", \"documents\": [\"" + longDoc + "\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("usage").get("total_tokens").asInt()).isEqualTo(MAX_LENGTH);
        PairScore e = reference.score(List.of(new TextPair("skin", longDoc)), scoring()).get(0);
        assertThat(r.json().get("results").get(0).get("relevance_score").asDouble()).isCloseTo(e.score(), CLOSE);
    }

    @Test
    void cohereV2() {
        String body = """
                {"model": "jinabert-mini", "query": "Organic skincare products for sensitive skin",
                 "documents": %s, "top_n": 2}""".formatted(jsonArray(DOCS));
        TestServer.Response r = t.post("/v2/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode root = r.json();
        assertThat(fieldNames(root)).containsExactly("id", "results", "meta");
        assertThat(UUID.fromString(root.get("id").asText())).isNotNull();
        Ranking expected = reference.rank(QUERY, DOCS, new RankOptions(2, false, scoring()));
        JsonNode results = root.get("results");
        assertThat(results).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(fieldNames(results.get(i))).containsExactly("index", "relevance_score");
            assertThat(results.get(i).get("index").asInt()).isEqualTo(expected.results().get(i).index());
            assertThat(results.get(i).get("relevance_score").asDouble())
                    .isCloseTo(expected.results().get(i).score(), CLOSE);
        }
        JsonNode meta = root.get("meta");
        assertThat(meta.get("api_version").get("version").asText()).isEqualTo("2");
        assertThat(meta.get("billed_units").get("search_units").asInt()).isEqualTo(1);
        assertThat(meta.get("tokens").get("input_tokens").asInt()).isEqualTo(expected.totalTokens());
    }

    @Test
    void cohereV2CutsDocumentsToMaxTokensPerDoc() {
        String doc = "alpha beta gamma delta epsilon zeta eta theta iota kappa";
        String body = "{\"query\": \"greek\", \"documents\": [\"" + doc + "\"], \"max_tokens_per_doc\": 4}";
        TestServer.Response r = t.post("/v2/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        int[] offsets = engine.tokenizer().encode(doc, false, Truncation.none()).offsets();
        String cut = doc.substring(0, offsets[2 * 3 + 1]);
        PairScore e = reference.score(List.of(new TextPair("greek", cut)), scoring()).get(0);
        assertThat(r.json().get("results").get(0).get("relevance_score").asDouble()).isCloseTo(e.score(), CLOSE);
        assertThat(r.json().get("meta").get("tokens").get("input_tokens").asInt()).isEqualTo(e.tokens());
        PairScore whole = reference.score(List.of(new TextPair("greek", doc)), scoring()).get(0);
        assertThat(e.tokens()).isLessThan(whole.tokens());
    }

    @Test
    void teiAnswersABareArrayBestFirst() {
        String body = "{\"query\": \"" + QUERY + "\", \"texts\": " + jsonArray(DOCS) + ", \"return_text\": true}";
        TestServer.Response r = t.post("/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode arr = r.json();
        assertThat(arr.isArray()).isTrue();
        assertThat(arr).hasSize(DOCS.size());
        Ranking expected = reference.rank(QUERY, DOCS, new RankOptions(0, false, scoring()));
        for (int i = 0; i < DOCS.size(); i++) {
            RankedDocument e = expected.results().get(i);
            assertThat(fieldNames(arr.get(i))).containsExactly("index", "score", "text");
            assertThat(arr.get(i).get("index").asInt()).isEqualTo(e.index());
            assertThat(arr.get(i).get("score").asDouble()).isCloseTo(e.score(), CLOSE);
            assertThat(arr.get(i).get("text").asText()).isEqualTo(DOCS.get(e.index()));
        }
    }

    @Test
    void teiRawScoresAreLogitsAndTextIsLeftOutByDefault() {
        String body = "{\"query\": \"" + QUERY + "\", \"texts\": " + jsonArray(DOCS) + ", \"raw_scores\": true}";
        TestServer.Response r = t.post("/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Ranking expected = reference.rank(QUERY, DOCS, new RankOptions(0, false, scoring()));
        JsonNode arr = r.json();
        for (int i = 0; i < DOCS.size(); i++) {
            assertThat(fieldNames(arr.get(i))).containsExactly("index", "score");
            assertThat(arr.get(i).get("score").asDouble()).isCloseTo(expected.results().get(i).logit(), CLOSE);
        }
        assertThat(expected.results().get(0).logit()).isNotEqualTo((float) expected.results().get(0).score());
    }

    @Test
    void teiTruncatesFromTheLeftWhenAsked() {
        String doc = "the start of it. ".repeat(40) + "and a different ending";
        String body = "{\"query\": \"q\", \"texts\": [\"" + doc + "\"], \"raw_scores\": true, \"truncate\": true, "
                + "\"truncation_direction\": \"Left\"}";
        TestServer.Response r = t.post("/rerank", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        PairScore left = reference.score(List.of(new TextPair("q", doc)),
                scoring().withTruncationDirection(Truncation.Direction.LEFT)).get(0);
        PairScore right = reference.score(List.of(new TextPair("q", doc)), scoring()).get(0);
        assertThat(r.json().get(0).get("score").asDouble()).isCloseTo(left.logit(), CLOSE);
        assertThat(Math.abs(left.logit() - right.logit())).isGreaterThan(1e-3f);
    }

    @Test
    void teiRefusesOverLongInputWhenTruncationIsOff() {
        String doc = "word ".repeat(200);
        TestServer.Response r = t.post("/rerank", "{\"query\": \"q\", \"texts\": [\"short\", \"" + doc
                + "\"], \"truncate\": false}");
        String message = r.error(413, "payload_too_large_error");
        assertThat(message).contains("texts[1]").contains("limit is " + MAX_LENGTH);
        TestServer.Response fits = t.post("/rerank", "{\"query\": \"q\", \"texts\": [\"short\"], \"truncate\": false}");
        assertThat(fits.status()).isEqualTo(200);
    }

    @Test
    void healthInfoModelsAndMetrics() {
        TestServer.Response health = t.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");

        JsonNode info = t.get("/info").json();
        assertThat(info.get("model_id").asText()).isEqualTo("jinabert-mini");
        assertThat(info.get("model_aliases").get(0).asText()).isEqualTo("jina-reranker-v1-tiny-en");
        assertThat(info.get("architecture").asText()).isEqualTo("JINA_BERT_CROSS_ENCODER");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(MAX_LENGTH);
        assertThat(info.get("max_client_batch_size").asInt()).isEqualTo(1024);
        assertThat(info.get("limits").get("max_documents").asInt()).isEqualTo(1024);
        assertThat(info.get("limits").get("max_body_bytes").asLong()).isEqualTo(8L << 20);
        assertThat(info.get("limits").get("max_queued_requests").asInt()).isEqualTo(64);
        assertThat(info.get("version").asText()).isNotBlank();

        JsonNode models = t.get("/v1/models").json();
        assertThat(models.get("object").asText()).isEqualTo("list");
        assertThat(models.get("data")).hasSize(1);
        assertThat(models.get("data").get(0).get("id").asText()).isEqualTo("jinabert-mini");
        assertThat(models.get("data").get(0).get("object").asText()).isEqualTo("model");

        t.post("/v1/rerank", "{\"query\": \"q\", \"documents\": [\"d\"]}");
        TestServer.Response metrics = t.get("/metrics");
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(t.metric("rerank4j_http_requests_total{route=\"/health\",status=\"200\"}")).isPositive();
        assertThat(t.metric("rerank4j_http_requests_total{route=\"/v1/rerank\",status=\"200\"}")).isPositive();
        assertThat(t.metric("rerank4j_http_request_duration_seconds_count{route=\"/v1/rerank\"}")).isPositive();
        assertThat(t.metric("rerank4j_batch_inputs_count{model=\"jinabert-mini\"}")).isGreaterThanOrEqualTo(1);
        assertThat(t.metric("rerank4j_tokens_total{model=\"jinabert-mini\"}")).isGreaterThan(0);
        assertThat(t.metric("rerank4j_queue_depth{model=\"jinabert-mini\"}")).isZero();
        assertThat(metrics.body()).contains("# TYPE rerank4j_http_request_duration_seconds histogram",
                "rerank4j_batch_requests_bucket{model=\"jinabert-mini\",le=\"+Inf\"}");
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    static String jsonArray(List<String> items) {
        return TestServer.JSON.valueToTree(items).toString();
    }
}

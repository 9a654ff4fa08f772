package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each error class: status, JSON shape, and a message that names the field. */
class ErrorResponsesTest {
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_DOCUMENTS = 5;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(TestServer.config().maxLength(64).maxBodyBytes(MAX_BODY).maxDocuments(MAX_DOCUMENTS));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @ParameterizedTest(name = "{0} {1} -> 400")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /v1/rerank | {"query": "q", "documents": ["a"]           | malformed JSON
            /v1/rerank | not json                                    | malformed JSON
            /v1/rerank | ``                                          | JSON object
            /v1/rerank | ["q", "a"]                                  | JSON object
            /v1/rerank | {"query": 5, "documents": ["a"]}            | 'query' must be a string
            /v1/rerank | {"documents": ["a"]}                        | 'query' is required
            /v1/rerank | {"query": "q", "documents": "a"}            | 'documents' must be an array
            /v1/rerank | {"query": "q", "documents": ["a", 7]}       | 'documents[1]' must be a string
            /v1/rerank | {"query": "q", "documents": [{"txt": "a"}]} | 'documents[0]'
            /v1/rerank | {"query": "q", "documents": ["a"], "top_n": "3"} | 'top_n' must be an integer
            /v1/rerank | {"query": "q", "documents": ["a"], "top_n": 2.5} | 'top_n' must be an integer
            /v1/rerank | {"query": "q", "documents": ["a"], "return_documents": "yes"} | 'return_documents'
            /v1/rerank | {"query": "q", "query": "r", "documents": ["a"]} | Duplicate field
            /v1/rerank | {"query": "q", "documents": ["a"]} {}      | malformed JSON
            /v1/rerank | {"query": "q", "documents": ["a"], "model": 1} | 'model' must be a string
            /v2/rerank | {"query": "q", "documents": ["a"], "max_tokens_per_doc": "x"} | 'max_tokens_per_doc'
            /rerank    | {"query": "q", "texts": [{"text": "a"}]}    | 'texts[0]' must be a string, got object
            /rerank    | {"query": "q", "texts": ["a"], "truncate": "no"} | 'truncate'
            /rerank    | {"query": "q", "texts": ["a"], "raw_scores": 1} | 'raw_scores'
            """)
    void malformedJsonOrWrongTypesAre400(String path, String body, String expected) {
        assertThat(t.post(path, body).error(400, "invalid_request_error")).contains(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> 422")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /v1/rerank | {"query": "", "documents": ["a"]}            | 'query' must not be empty
            /v1/rerank | {"query": "q", "documents": []}              | 'documents' must not be empty
            /v1/rerank | {"query": "q", "documents": ["a"], "top_n": 0} | 'top_n' must be >= 1
            /v1/rerank | {"query": "q", "documents": ["a"], "top_n": -3} | 'top_n' must be >= 1
            /v1/rerank | {"query": "q", "documents": ["a"], "model": "gpt-4"} | model 'gpt-4' is not served here
            /v2/rerank | {"query": "", "documents": ["a"]}            | 'query' must not be empty
            /v2/rerank | {"query": "q", "documents": ["a"], "max_tokens_per_doc": 0} | 'max_tokens_per_doc' must be >= 1
            /rerank    | {"query": "q", "texts": []}                  | 'texts' must not be empty
            /rerank    | {"query": "q", "texts": ["a"], "truncation_direction": "up"} | 'truncation_direction'
            """)
    void invalidValuesAre422(String path, String body, String expected) {
        assertThat(t.post(path, body).error(422, "validation_error")).contains(expected);
    }

    @Test
    void bodiesAndDocumentCountsOverTheLimitAre413() {
        String big = "{\"query\": \"q\", \"documents\": [\"" + "x".repeat(MAX_BODY) + "\"]}";
        assertThat(t.post("/v1/rerank", big).error(413, "payload_too_large_error")).contains("at most " + MAX_BODY);
        // Without a Content-Length (chunked), the limit holds while reading.
        HttpRequest chunked = t.request("/v1/rerank").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.getBytes()))).build();
        assertThat(t.send(chunked).error(413, "payload_too_large_error")).contains(String.valueOf(MAX_BODY));

        List<String> six = List.of("a", "b", "c", "d", "e", "f");
        String tooMany = "{\"query\": \"q\", \"documents\": " + RerankApiTest.jsonArray(six) + "}";
        assertThat(t.post("/v1/rerank", tooMany).error(413, "payload_too_large_error"))
                .contains("'documents' has 6 entries").contains("at most " + MAX_DOCUMENTS);
        assertThat(t.post("/rerank", tooMany.replace("documents", "texts")).error(413, "payload_too_large_error"))
                .contains("'texts' has 6");
    }

    @Test
    void unknownRoutesAndMethodsAreJsonToo() {
        assertThat(t.get("/v3/rerank").error(404, "not_found_error")).contains("/v3/rerank");
        assertThat(t.get("/v1/rerank").error(405, "method_not_allowed_error")).contains("GET");
        assertThat(t.metric("rerank4j_http_requests_total{route=\"other\",status=\"404\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLargeTopNMeansAll() {
        TestServer.Response r = t.post("/v1/rerank",
                "{\"query\": \"q\", \"documents\": [\"a\", \"b\"], \"top_n\": 99999999999999999999}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("results")).hasSize(2);
    }
}

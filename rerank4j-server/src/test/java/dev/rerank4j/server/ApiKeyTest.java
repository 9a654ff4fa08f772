package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a key set, every route but /health wants it; without one (the other tests), none does. */
class ApiKeyTest {
    static final String KEY = "s3cret-key";
    static final String BODY = "{\"query\": \"q\", \"documents\": [\"a\", \"b\"]}";
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(TestServer.config().apiKey(KEY));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void missingKeyIs401() {
        TestServer.Response r = t.post("/v1/rerank", BODY);
        assertThat(r.error(401, "authentication_error")).contains("missing API key");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        t.get("/metrics", "Authorization", "Basic abc").error(401, "authentication_error");
        t.get("/info").error(401, "authentication_error");
    }

    @Test
    void wrongKeysAre401() {
        for (String wrong : new String[] {"s3cret-kez", "s3cret-key2", "s3cret", KEY.toUpperCase()}) {
            TestServer.Response r = t.post("/v2/rerank", BODY, "Authorization", "Bearer " + wrong);
            assertThat(r.error(401, "authentication_error"))

                    .isEqualTo("invalid API key");
        }
        t.post("/v2/rerank", BODY, "Authorization", "Bearer ").error(401, "authentication_error");
    }

    @Test
    void aKeyDifferingOnlyInCaseIsRefusedEvenRightAfterTheRightOne() {
        // One connection for all three: Jetty's per-connection header cache must not match values ignoring case.
        assertThat(t.post("/v1/rerank", BODY, "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
        t.post("/v1/rerank", BODY, "Authorization", "Bearer " + KEY.toUpperCase()).error(401, "authentication_error");
        assertThat(t.post("/v1/rerank", BODY, "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
    }

    @Test
    void theRightKeyIsAccepted() {
        for (String path : new String[] {"/v1/rerank", "/v2/rerank"}) {
            TestServer.Response r = t.post(path, BODY, "Authorization", "Bearer " + KEY);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("results")).hasSize(2);
        }
        TestServer.Response tei = t.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}", "Authorization",
                "bearer " + KEY);
        assertThat(tei.status()).isEqualTo(200);
        assertThat(t.get("/metrics", "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
    }

    @Test
    void healthStaysOpenForProbes() {
        assertThat(t.get("/health").status()).isEqualTo(200);
    }
}

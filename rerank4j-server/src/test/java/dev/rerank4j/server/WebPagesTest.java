package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pages over plain HTTP: behind the key like the API, a form for browsers, and off with --no-ui. */
class WebPagesTest {
    static final String KEY = "pages-key";

    @Test
    void pagesNeedTheKeyAndBrowsersAreAskedForIt() {
        try (TestServer t = TestServer.start(TestServer.config().apiKey(KEY))) {
            for (String page : new String[] {"/", "/docs"}) {
                // An API client gets the API's error.
                t.get(page).error(401, "authentication_error");
                // A browser navigating there gets a page that asks for the key.
                TestServer.Response browser = t.get(page, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
                assertThat(browser.status()).isEqualTo(401);
                assertThat(browser.headers().firstValue("Content-Type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("text/html"));
                assertThat(browser.body()).contains("<h1>API key required</h1>").doesNotContain("SwaggerUIBundle");
                TestServer.Response ok = t.get(page, "Authorization", "Bearer " + KEY);
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                        v -> assertThat(v).contains("default-src 'none'", "connect-src 'self'"));
            }
            t.get("/openapi.json").error(401, "authentication_error");
            // Other routes keep their JSON errors, browser or not.
            assertThat(t.get("/info", "Accept", "text/html").error(401, "authentication_error"))
                    .startsWith("missing API key");
        }
    }

    @Test
    void eachPageIsOneSelfContainedResponse() {
        try (TestServer t = TestServer.start(TestServer.config())) {
            // Swagger UI's script and styles are inline (its bundle names URLs in its code: the browser test
            // shows that none is requested).
            String docs = t.get("/docs").body();
            for (String inline : new String[] {"SwaggerUIBundle({", ".swagger-ui{", "url: 'openapi.json'"}) {
                assertThat(docs.contains(inline)).as(inline).isTrue();
            }
            for (String loaded : new String[] {"<script src", "<link rel=\"stylesheet\"", "@import"}) {
                assertThat(docs.contains(loaded)).as(loaded).isFalse();
            }
            assertThat(t.get("/").body()).contains("<label for=\"documents\">", "fetch('v1/rerank'")
                    .doesNotContain("<script src", "<link rel=\"stylesheet\"", "http://", "https://");
        }
    }

    @Test
    void noUiTurnsThePagesOffButNotTheDocument() {
        try (TestServer t = TestServer.start(TestServer.config().ui(false))) {
            t.get("/").error(404, "not_found_error");
            t.get("/docs").error(404, "not_found_error");
            assertThat(t.get("/openapi.json").json().get("openapi").asText()).isEqualTo("3.1.0");
            assertThat(t.server.registeredRoutes()).doesNotContain("GET /", "GET /docs").contains("GET /openapi.json");
        }
    }
}

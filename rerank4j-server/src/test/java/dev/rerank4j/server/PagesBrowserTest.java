package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * The playground and Swagger UI in headless Chromium against real servers on loopback: one open (with a small
 * body limit), one behind an API key. Screenshots go to {@code target/browser-screenshots}.
 */
class PagesBrowserTest {
    static final String KEY = "browser-key";
    static final int MAX_BODY = 4096;
    static final String MODEL = "jinabert-mini";
    static TestServer open;
    static TestServer keyed;
    static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
        open = TestServer.start(TestServer.config().maxBodyBytes(MAX_BODY));
        // Swagger UI's Try it out sends the model card's request, which names the hosted model.
        keyed = TestServer.start(TestServer.config().apiKey(KEY),
                List.of(TestServer.crossEncoder("jina-reranker-v1-tiny-en")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (open != null) {
            open.close();
        }
        if (keyed != null) {
            keyed.close();
        }
    }

    /** The body the playground sends, built as its script builds it (same keys, same order). */
    static String playgroundBody(String query, List<String> documents) {
        ObjectNode body = TestServer.JSON.createObjectNode().put("query", query);
        documents.forEach(body.putArray("documents")::add);
        return body.put("return_documents", false).put("model", MODEL).toString();
    }

    /** Fills the form and clicks Rank (or presses Enter in the query box). */
    static void rank(String query, List<String> documents, String topN, boolean keyboard) {
        browser.wait.until(d -> !d.findElements(By.cssSelector("#model option")).isEmpty());
        browser.type("#query", query);
        browser.type("#documents", String.join("\n", documents));
        browser.type("#top-n", topN);
        // Earlier answers cleared, so that the wait below sees this one.
        browser.script("for (const id of ['results', 'summary', 'error']) document.getElementById(id).textContent = '';");
        if (keyboard) {
            browser.find("#query").sendKeys(org.openqa.selenium.Keys.ENTER);
        } else {
            browser.find("#rank").click();
        }
        browser.wait.until(d -> !d.findElement(By.id("error")).getText().isEmpty()
                || !d.findElements(By.cssSelector("#results li")).isEmpty());
    }

    /** The results as shown: index, exact score, displayed score, document text, bar width; best first. */
    @SuppressWarnings("unchecked")
    static List<List<String>> shownResults() {
        return (List<List<String>>) browser.script("return [...document.querySelectorAll('#results li')].map(li => "
                + "[li.dataset.index, li.dataset.score, li.querySelector('.score').textContent, "
                + "li.querySelector('.doc').textContent, li.querySelector('.bar span').style.width]);");
    }

    @Test
    void playgroundRanksTheModelCardsDocumentsExactlyAsTheApiDoes() {
        browser.open(open.base.resolve("/"));
        assertThat(browser.driver.getTitle()).isEqualTo("rerank4j playground");
        // Every control is labelled (screen readers, and a click on the label focuses it).
        assertThat(browser.script("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.labels.length === 0).map(e => e.id);")).asList().isEmpty();
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "", true);

        TestServer.Response api = open.post("/v1/rerank", playgroundBody(RerankApiTest.QUERY, RerankApiTest.DOCS));
        assertThat(api.status()).as(api.body()).isEqualTo(200);
        List<List<String>> shown = shownResults();
        JsonNode expected = api.json().get("results");
        assertThat(shown).hasSize(10);
        for (int i = 0; i < shown.size(); i++) {
            List<String> row = shown.get(i);
            int index = expected.get(i).get("index").asInt();
            double score = expected.get(i).get("relevance_score").asDouble();
            assertThat(Integer.parseInt(row.get(0))).as("rank %d", i + 1).isEqualTo(index);
            assertThat(Double.parseDouble(row.get(1))).as("score at rank %d", i + 1).isEqualTo(score);
            assertThat(Double.parseDouble(row.get(2))).isCloseTo(score, within(Math.abs(score) * 1e-5));
            assertThat(row.get(3)).isEqualTo(RerankApiTest.DOCS.get(index));
            assertThat(Double.parseDouble(row.get(4).replace("%", ""))).isCloseTo(score * 100, within(1e-3));
        }
        assertThat(browser.textOf("#tokens")).isEqualTo(api.json().at("/usage/total_tokens").asInt() + " tokens");
        assertThat(browser.textOf("#latency")).matches("\\d+ ms");
        assertThat(browser.textOf("#summary")).startsWith("10 of 10 documents, best first · model " + MODEL);
        browser.screenshot("playground-model-card", "#results-heading");

        // Top N, with the button this time.
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "3", false);
        assertThat(shownResults()).extracting(r -> r.get(0)).containsExactly(
                shown.get(0).get(0), shown.get(1).get(0), shown.get(2).get(0));

        // A phone's width: nothing wider than the screen.
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                    .isEqualTo(true);
            browser.screenshot("playground-narrow", "#results-heading");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 1000));
        }
        assertThat(browser.assertAllRequestsWentTo(open.base)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void playgroundShowsRefusalsAsTheApiWordsThem() {
        browser.open(open.base.resolve("/"));
        List<String> oversized = new ArrayList<>(RerankApiTest.DOCS);
        oversized.add("x".repeat(MAX_BODY));
        rank(RerankApiTest.QUERY, oversized, "", false);
        String tooLarge = open.post("/v1/rerank", playgroundBody(RerankApiTest.QUERY, oversized))
                .error(413, "payload_too_large_error");
        assertThat(browser.textOf("#error")).isEqualTo("HTTP 413: " + tooLarge);
        assertThat(tooLarge).contains("this server accepts at most " + MAX_BODY);
        assertThat(browser.find("#error").getAttribute("role")).isEqualTo("alert");
        assertThat(browser.driver.findElements(By.cssSelector("#results li"))).isEmpty();
        browser.screenshot("playground-413", "#documents");

        rank("", RerankApiTest.DOCS, "", false);
        assertThat(browser.textOf("#error")).isEqualTo("HTTP 422: 'query' must not be empty");
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "0", false);
        assertThat(browser.textOf("#error")).isEqualTo("HTTP 422: 'top_n' must be >= 1, got 0");
        rank(RerankApiTest.QUERY, List.of(" "), "", false);
        assertThat(browser.textOf("#error")).isEqualTo("HTTP 422: 'documents' must not be empty");
        browser.screenshot("playground-422", "#documents");
        // A refusal then a success: the error goes away.
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "", false);
        assertThat(browser.driver.findElement(By.id("error")).isDisplayed()).isFalse();
        assertThat(shownResults()).hasSize(10);
        browser.assertAllRequestsWentTo(open.base);
    }

    @Test
    void withAnApiKeyThePlaygroundAsksForItAndKeepsItInMemoryOnly() {
        browser.open(keyed.base.resolve("/"));
        assertThat(browser.driver.getTitle()).isEqualTo("API key required - rerank4j");
        browser.type("#key", "not-the-key");
        browser.find("#open").click();
        assertThat(browser.awaitText("#key-error", "")).isEqualTo("HTTP 401: invalid API key");
        browser.screenshot("key-page-refused", "h1");

        browser.type("#key", KEY);
        browser.find("#open").click();
        browser.wait.until(d -> "rerank4j playground".equals(d.getTitle()));
        assertThat(browser.find("#api-key").getDomProperty("value")).isEqualTo(KEY);
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "", false);
        assertThat(shownResults()).hasSize(10);
        browser.screenshot("playground-with-key", "#query");

        // The page's own key field is what its requests carry.
        browser.type("#api-key", "");
        rank(RerankApiTest.QUERY, RerankApiTest.DOCS, "", false);
        assertThat(browser.textOf("#error"))
                .isEqualTo("HTTP 401: missing API key: send 'Authorization: Bearer KEY'");

        assertThat(browser.script("return localStorage.length + sessionStorage.length + document.cookie.length;"))
                .isEqualTo(0L);
        browser.driver.navigate().refresh();
        browser.wait.until(d -> "API key required - rerank4j".equals(d.getTitle()));
        browser.assertAllRequestsWentTo(keyed.base);
    }

    @Test
    void swaggerUiTriesTheModelCardRequestWithTheKey() {
        browser.open(keyed.base.resolve("/docs"));
        browser.type("#key", KEY);
        browser.find("#open").click();
        assertThat(browser.awaitText(".swagger-ui .info .title", "")).startsWith("rerank4j");
        int operations = 0;
        for (JsonNode path : keyed.get("/openapi.json", "Authorization", "Bearer " + KEY).json().get("paths")) {
            operations += path.size();
        }
        assertThat(browser.driver.findElements(By.cssSelector(".opblock"))).hasSize(operations);
        browser.screenshot("swagger-ui", ".swagger-ui .info");

        String op = "#operations-rerank-rerankJina";
        browser.find(op + " .opblock-summary").click();
        browser.find(op + " .try-out__btn").click();
        assertThat(browser.find(op + " textarea.body-param__text").getDomProperty("value"))
                .contains("\"model\": \"jina-reranker-v1-tiny-en\"", RerankApiTest.DOCS.get(9));
        browser.find(op + " .execute").click();
        String status = browser.awaitText(op + " .live-responses-table tr.response .response-col_status", "");
        browser.screenshot("swagger-try-it-out", op + " .live-responses-table");
        assertThat(status).isEqualTo("200");
        assertThat(browser.textOf(op + " .curl-command")).contains("Authorization: Bearer " + KEY);
        assertThat(browser.textOf(op + " .live-responses-table tr.response .response-col_description"))
                .contains("relevance_score", "\"model\": \"" + MODEL + "\"");
        browser.assertAllRequestsWentTo(keyed.base);
    }
}

package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} is a valid OpenAPI 3.1 document that cannot drift from the server: it lists exactly
 * the routes the server registers, every example in it fits its schema, and the real answers to its request
 * examples, and to bad requests, fit the documented response schemas.
 */
class OpenApiDocumentTest {
    static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    static TestServer t;
    static String body;
    static JsonNode doc;

    @BeforeAll
    static void start() {
        // The model card's example names the hosted model; the operator serves it under that name.
        // The bi-encoder answers the embedding routes' examples.
        t = TestServer.start(TestServer.config().maxDocuments(16),
                List.of(TestServer.crossEncoder("jina-reranker-v1-tiny-en"), TestServer.biEncoder()));
        TestServer.Response r = t.get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        body = r.body();
        doc = r.json();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void isAValidOpenApi31Document() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(body, null, options);
        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getInfo().getVersion()).isEqualTo(ServerInfo.version());
        assertThat(api.getComponents().getSecuritySchemes().get("bearerAuth").getScheme()).isEqualTo("bearer");
        // Only /health is open when the server has a key.
        assertThat(api.getPaths().get("/health").getGet().getSecurity()).isEmpty();
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> {
            assertThat(op.getOperationId()).as("operationId of %s", path).isNotBlank();
            assertThat(op.getSummary()).as("summary of %s", path).isNotBlank();
            assertThat(op.getResponses()).as("responses of %s", path).containsKey("200");
        }));
    }

    @Test
    void documentsEveryRouteTheServerRegistersAndNoOther() {
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(
                method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).isEqualTo(new TreeSet<>(t.server.registeredRoutes()));
        assertThat(documented).contains("POST /v1/rerank", "GET /docs", "GET /", "GET /openapi.json");
    }

    @Test
    void errorTypesAreTheServers() {
        List<String> documented = new ArrayList<>();
        doc.at("/components/schemas/Error/properties/error/properties/type/enum").forEach(
                n -> documented.add(n.asText()));
        assertThat(documented).containsExactlyElementsOf(
                Arrays.stream(ErrorType.values()).map(e -> e.type).toList());
    }

    @Test
    void everyExampleFitsItsSchema() {
        int checked = 0;
        for (JsonNode media : mediaTypes()) {
            JsonNode schema = media.get("schema");
            if (media.has("example")) {
                assertFits(media.get("example"), schema, "example");
                checked++;
            }
            for (Map.Entry<String, JsonNode> e : media.path("examples").properties()) {
                assertFits(e.getValue().get("value"), schema, "example '" + e.getKey() + "'");
                checked++;
            }
        }
        // The rerank requests (the model card's among them), the answer's shape, one per error response.
        assertThat(checked).isGreaterThanOrEqualTo(12);
        // The references resolve: a wrong answer does not fit.
        JsonNode jina = doc.at("/paths/~1v1~1rerank/post/responses/200/content/application~1json/schema");
        assertThat(errors(TestServer.JSON.createObjectNode().put("model", "m").put("results", "none"), jina))
                .anySatisfy(e -> assertThat(e.toString()).contains("/results: string found, array expected"));
    }

    @Test
    void theAnswersToTheRequestExamplesFitTheDocumentedSchemas() {
        int sent = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            JsonNode post = path.getValue().get("post");
            if (post == null) {
                continue;
            }
            JsonNode schema = post.at("/responses/200/content/application~1json/schema");
            for (Map.Entry<String, JsonNode> e : post.at("/requestBody/content/application~1json/examples")
                    .properties()) {
                TestServer.Response r = t.post(path.getKey(), e.getValue().get("value").toString());
                assertThat(r.status()).as("%s example '%s': %s", path.getKey(), e.getKey(), r.body()).isEqualTo(200);
                assertFits(r.json(), schema, path.getKey() + " answer to '" + e.getKey() + "'");
                sent++;
            }
        }
        assertThat(sent).isGreaterThanOrEqualTo(4);
        assertThat(t.post("/v1/rerank", doc.at(
                "/paths/~1v1~1rerank/post/requestBody/content/application~1json/examples/model card/value").toString())
                .json().get("results")).hasSize(3);
    }

    @Test
    void theAnswersOfTheGetRoutesFitTheDocumentedSchemas() {
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            JsonNode ok = path.getValue().at("/get/responses/200/content");
            if (ok.isMissingNode()) {
                continue;
            }
            TestServer.Response r = t.get(path.getKey());
            assertThat(r.status()).as(path.getKey()).isEqualTo(200);
            String type = ok.fieldNames().next();
            assertThat(r.headers().firstValue("Content-Type")).as(path.getKey())
                    .hasValueSatisfying(v -> assertThat(v).startsWith(type));
            if (type.equals("application/json")) {
                assertFits(r.json(), ok.get(type).get("schema"), "GET " + path.getKey());
            }
        }
    }

    @Test
    void refusalsFitTheDocumentedErrorResponses() {
        String docs = "[" + "\"d\",".repeat(16) + "\"d\"]";
        Map<String, TestServer.Response> refusals = Map.of(
                "BadRequest", t.post("/v1/rerank", "{\"query\": \"q\", \"documents\": \"d\"}"),
                "PayloadTooLarge", t.post("/v2/rerank", "{\"query\": \"q\", \"documents\": " + docs + "}"),
                "Unprocessable", t.post("/rerank", "{\"query\": \"\", \"texts\": [\"d\"]}"));
        refusals.forEach((name, r) -> {
            JsonNode documented = doc.at("/components/responses/" + name);
            r.error(statusOf(name), documented.at("/content/application~1json/example/error/type").asText());
            assertFits(r.json(), documented.at("/content/application~1json/schema"), name);
        });
    }

    /** The status under which each rerank operation lists a shared error response. */
    private static int statusOf(String response) {
        Iterator<Map.Entry<String, JsonNode>> it = doc.at("/paths/~1v1~1rerank/post/responses").properties()
                .iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("$ref").asText().endsWith("/" + response)) {
                return Integer.parseInt(e.getKey());
            }
        }
        throw new AssertionError(response + " is not listed under POST /v1/rerank");
    }

    private static List<JsonNode> mediaTypes() {
        return doc.findParents("schema").stream().filter(n -> n.has("example") || n.has("examples")).toList();
    }

    /** Validates against a schema of the document, its references resolved within the document. */
    private static void assertFits(JsonNode value, JsonNode schema, String what) {
        assertThat(errors(value, schema)).as("%s: %s", what, value).isEmpty();
    }

    private static List<com.networknt.schema.Error> errors(JsonNode value, JsonNode schema) {
        ObjectNode root = schema.deepCopy();
        root.set("components", doc.get("components"));
        return SCHEMAS.getSchema(root.toString()).validate(value.toString(), InputFormat.JSON);
    }
}

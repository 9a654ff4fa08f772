package dev.rerank4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;

/**
 * The server's pages for people: the OpenAPI document ({@code GET /openapi.json}), Swagger UI over it
 * ({@code GET /docs}) and the playground ({@code GET /}). Each page is one HTML response with its scripts and
 * styles inline (Swagger UI's are read from its webjar), so a browser fetches nothing else, from here or from
 * elsewhere: the pages work air-gapped, and behind an API key a single authorized fetch brings a whole page.
 * A browser that asks for a page without the key gets a small page that asks for it, keeps it in memory and
 * fetches the page with it.
 */
final class WebPages {
    private static final String RESOURCES = "/dev/rerank4j/server/web/";
    private static final String WEBJAR = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** Only this server: the pages cannot load or send anything elsewhere, whatever a document contains. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";
    private static final Set<String> PAGES = Set.of("/", "/docs");

    private WebPages() {
    }

    static void register(Javalin app, ServerConfig config) {
        byte[] openApi = openApiDocument();
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        if (!config.ui()) {
            return;
        }
        String playground = text(RESOURCES + "playground.html");
        String swaggerUi = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        String docs = text(RESOURCES + "docs.html")
                .replace("/*swagger-ui.css*/", text(swaggerUi + "swagger-ui.css"))
                .replace("/*swagger-ui-bundle.js*/", text(swaggerUi + "swagger-ui-bundle.js"));
        app.get("/", ctx -> page(ctx, playground));
        app.get("/docs", ctx -> page(ctx, docs));
        if (config.requiresApiKey()) {
            String keyPage = text(RESOURCES + "key.html");
            // Runs after the 401 was written as JSON; a browser navigating to a page gets a form instead.
            app.error(401, "html", ctx -> {
                if (PAGES.contains(ctx.path())) {
                    page(ctx, keyPage);
                }
            });
        }
    }

    private static void page(Context ctx, String html) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .html(html);
    }

    /** The document from the resources, with this build's version. */
    private static byte[] openApiDocument() {
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode doc = (ObjectNode) mapper.readTree(text(RESOURCES + "openapi.json"));
            ((ObjectNode) doc.get("info")).put("version", ServerInfo.version());
            return mapper.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled OpenAPI document is not valid JSON", e);
        }
    }

    /** The webjar's own record of its version, so that the pom alone says which Swagger UI is served. */
    private static String webjarVersion() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text(WEBJAR)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR, e);
        }
        return p.getProperty("version");
    }

    private static String text(String resource) {
        try (InputStream in = WebPages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " (is the swagger-ui webjar on the "
                        + "classpath?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }
}

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
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(Document.BYTES));
        if (!config.ui()) {
            return;
        }
        app.get("/", ctx -> page(ctx, Pages.PLAYGROUND));
        app.get("/docs", ctx -> page(ctx, Pages.DOCS));
        if (config.requiresApiKey()) {
            // Runs after the 401 was written as JSON; a browser navigating to a page gets a form instead.
            app.error(401, "html", ctx -> {
                if (PAGES.contains(ctx.path())) {
                    page(ctx, Pages.KEY);
                }
            });
        }
    }

    // The document and the pages are built on the first request that needs them, not at start-up (parsing the
    // document and reading Swagger UI's 2 MB took 0.4-2 s on a loaded machine), and once per JVM: they depend
    // on nothing but the build. Pages are kept encoded, so that a request does not encode 2 MB again.

    private static final class Document {
        static final byte[] BYTES = openApiDocument();

        private Document() {
        }
    }

    private static final class Pages {
        static final byte[] PLAYGROUND = utf8(text(RESOURCES + "playground.html"));
        static final byte[] KEY = utf8(text(RESOURCES + "key.html"));
        static final byte[] DOCS = utf8(swaggerUiPage());

        private Pages() {
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String swaggerUiPage() {
        String swaggerUi = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        return text(RESOURCES + "docs.html")
                .replace("/*swagger-ui.css*/", text(swaggerUi + "swagger-ui.css"))
                .replace("/*swagger-ui-bundle.js*/", text(swaggerUi + "swagger-ui-bundle.js"));
    }

    private static void page(Context ctx, byte[] html) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .contentType("text/html; charset=utf-8")
                .result(html);
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

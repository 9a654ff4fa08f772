package dev.rerank4j.server;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.Reranker;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server with both test models, jinabert-mini (the default, a cross-encoder) and the bundled
 * all-MiniLM-L6-v2 (a bi-encoder), started once for every test class that uses it and stopped after the last
 * test; with the same two models loaded again in this JVM as the library's reference.
 */
final class TwoModels implements BeforeAllCallback {
    static final String CROSS_ENCODER = "jinabert-mini";
    static final String BI_ENCODER = "sentence-transformers/all-MiniLM-L6-v2";
    /** The names the clients in these tests send: hosted models' names, served here as aliases. */
    static final List<String> CROSS_ENCODER_ALIASES = List.of("jina-reranker-v1-tiny-en", "rerank-english-v2.0",
            "jina-reranker-v2-base-multilingual", "rerank-v3.5");

    static TestServer t;
    static Engine crossEngine;
    static Reranker crossEncoder;
    static Reranker biEncoderReranker;
    static Embedder embedder;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TwoModels.class, k -> {
            t = TestServer.start(TestServer.config(), List.of(
                    TestServer.crossEncoder(CROSS_ENCODER_ALIASES.toArray(String[]::new)), TestServer.biEncoder()));
            Engine cross = TestServer.loadModel();
            Engine bi = TestServer.loadBiEncoder();
            crossEngine = cross;
            crossEncoder = cross.reranker();
            biEncoderReranker = bi.reranker();
            embedder = bi.embedder();
            return (ExtensionContext.Store.CloseableResource) () -> {
                t.close();
                cross.close();
                bi.close();
            };
        }, Object.class);
    }
}

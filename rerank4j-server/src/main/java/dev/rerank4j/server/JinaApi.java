package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.PairScore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/rerank}: the Jina Reranker API, which Cohere's v1 rerank shares. Documents are strings or
 * objects with {@code text}; {@code return_documents} defaults to true; scores are sigmoid(logit).
 */
final class JinaApi {
    private JinaApi() {
    }

    static CompletableFuture<JsonNode> rerank(RequestFields request, ModelService model, ServerConfig config) {
        request.optionalString("model").ifPresent(model::requireModel);
        String query = request.nonEmptyString("query");
        List<String> documents = request.documents("documents", true, config.maxDocuments());
        int topN = request.positiveInt("top_n");
        boolean returnDocuments = request.bool("return_documents", true);
        return model.score(query, documents, model.options(request)).thenApply(scores -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("model", model.modelId());
            root.putObject("usage").put("total_tokens", scores.stream().mapToInt(PairScore::tokens).sum());
            ArrayNode results = root.putArray("results");
            for (int i : ModelService.order(scores, topN)) {
                ObjectNode r = results.addObject();
                r.put("index", i);
                r.put("relevance_score", scores.get(i).score());
                if (returnDocuments) {
                    r.putObject("document").put("text", documents.get(i));
                }
            }
            return root;
        });
    }
}

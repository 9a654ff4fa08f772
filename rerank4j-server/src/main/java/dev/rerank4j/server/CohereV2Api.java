package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.PairScore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v2/rerank}: Cohere's v2 rerank. {@code max_tokens_per_doc} cuts each document to that many
 * tokens before pairing; the response carries an id, index and relevance_score per result, and billing meta.
 */
final class CohereV2Api {
    /** Cohere bills one search unit per query with up to 100 documents. */
    private static final int DOCUMENTS_PER_SEARCH_UNIT = 100;

    private CohereV2Api() {
    }

    static CompletableFuture<JsonNode> rerank(RequestFields request, ModelService model, ServerConfig config) {
        request.optionalString("model").ifPresent(model::requireModel);
        String query = request.nonEmptyString("query");
        List<String> documents = request.documents("documents", true, config.maxDocuments());
        int topN = request.positiveInt("top_n");
        int maxTokensPerDoc = request.positiveInt("max_tokens_per_doc");
        if (maxTokensPerDoc > 0) {
            documents = documents.stream().map(d -> model.truncateDocument(d, maxTokensPerDoc)).toList();
        }
        int count = documents.size();
        return model.score(query, documents, model.options(request)).thenApply(scores -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("id", UUID.randomUUID().toString());
            ArrayNode results = root.putArray("results");
            for (int i : ModelService.order(scores, topN)) {
                results.addObject().put("index", i).put("relevance_score", scores.get(i).score());
            }
            ObjectNode meta = root.putObject("meta");
            meta.putObject("api_version").put("version", "2");
            meta.putObject("billed_units").put("search_units",
                    (count + DOCUMENTS_PER_SEARCH_UNIT - 1) / DOCUMENTS_PER_SEARCH_UNIT);
            meta.putObject("tokens").put("input_tokens", scores.stream().mapToInt(PairScore::tokens).sum())
                    .put("output_tokens", 0);
            return root;
        });
    }
}

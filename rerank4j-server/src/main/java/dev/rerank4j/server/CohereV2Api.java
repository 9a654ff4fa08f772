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
 * {@code return_documents}, which Elasticsearch's Cohere client still sends, adds each result's {@code document};
 * {@code max_chunks_per_doc} caps the windows scored per document when the server chunks long documents.
 */
final class CohereV2Api {
    /** Cohere bills one search unit per query with up to 100 documents. */
    private static final int DOCUMENTS_PER_SEARCH_UNIT = 100;

    private CohereV2Api() {
    }

    static CompletableFuture<JsonNode> rerank(RequestFields request, ServedModels models, ServerConfig config) {
        ModelService model = models.resolve(request.optionalString("model"));
        String query = request.nonEmptyString("query");
        List<String> documents = request.documents("documents", true, config.maxDocuments());
        int topN = request.positiveInt("top_n");
        int maxTokensPerDoc = request.positiveInt("max_tokens_per_doc");
        boolean returnDocuments = request.bool("return_documents", false);
        List<String> scored = maxTokensPerDoc == 0 ? documents
                : documents.stream().map(d -> model.truncateDocument(d, maxTokensPerDoc)).toList();
        return model.score(query, scored, model.chunkedOptions(request)).thenApply(scores -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("id", UUID.randomUUID().toString());
            ArrayNode results = root.putArray("results");
            for (int i : ModelService.order(scores, topN)) {
                ObjectNode r = results.addObject().put("index", i).put("relevance_score", scores.get(i).score());
                if (returnDocuments) {
                    r.putObject("document").put("text", documents.get(i));
                }
            }
            meta(root, "2", documents.size(), scores.stream().mapToInt(PairScore::tokens).sum());
            return root;
        });
    }

    /** Cohere's {@code meta}: API version, search units billed, tokens read. */
    static void meta(ObjectNode root, String version, int documents, int tokens) {
        ObjectNode meta = root.putObject("meta");
        meta.putObject("api_version").put("version", version);
        meta.putObject("billed_units").put("search_units",
                (documents + DOCUMENTS_PER_SEARCH_UNIT - 1) / DOCUMENTS_PER_SEARCH_UNIT);
        meta.putObject("tokens").put("input_tokens", tokens).put("output_tokens", 0);
    }
}

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
 * {@code POST /v1/rerank}, lenient about the dialect, since several clients post here:
 * <ul>
 *   <li>Jina's Reranker API: {@code documents} strings or {@code {text}} objects, {@code return_documents}
 *       true unless false, as Jina's own API has it;</li>
 *   <li>Cohere's v1 rerank: the same, plus {@code rank_fields} for structured documents and
 *       {@code max_chunks_per_doc} (with {@code --long-documents chunk}, the most windows scored per
 *       document, from its start; the other modes read one);
 *       the answer also carries Cohere's {@code id} and {@code meta};</li>
 *   <li>a TEI-shaped body ({@code texts} instead of {@code documents}, as llama.cpp accepts here): answered
 *       as TEI's {@code /rerank} answers it.</li>
 * </ul>
 * Scores are sigmoid(logit) for a cross-encoder, the cosine for a bi-encoder.
 */
final class JinaApi {
    private JinaApi() {
    }

    static CompletableFuture<JsonNode> rerank(RequestFields request, ServedModels models, ServerConfig config) {
        if (!request.has("documents") && request.has("texts")) {
            return TeiApi.rerank(request, models, config);
        }
        ModelService model = models.resolve(request.optionalString("model"));
        String query = request.nonEmptyString("query");
        List<String> documents = request.documents("documents", request.stringList("rank_fields"),
                config.maxDocuments());
        int topN = request.positiveInt("top_n");
        boolean returnDocuments = request.bool("return_documents", true);
        JsonNode sent = request.raw("documents");
        return model.score(query, documents, model.chunkedOptions(request)).thenApply(scores -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("id", UUID.randomUUID().toString());
            root.put("model", model.modelId());
            int tokens = scores.stream().mapToInt(PairScore::tokens).sum();
            root.putObject("usage").put("total_tokens", tokens);
            ArrayNode results = root.putArray("results");
            for (int i : ModelService.order(scores, topN)) {
                ObjectNode r = results.addObject();
                r.put("index", i);
                r.put("relevance_score", scores.get(i).score());
                if (returnDocuments) {
                    JsonNode d = sent.get(i);
                    // Cohere echoes a structured document whole; Jina and strings come back as {"text": ...}.
                    r.set("document", d.isObject() ? d : JsonNodeFactory.instance.objectNode()
                            .put("text", documents.get(i)));
                }
            }
            CohereV2Api.meta(root, "1", documents.size(), tokens);
            return root;
        });
    }
}

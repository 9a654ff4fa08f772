package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The bodies of {@code GET /info} and {@code GET /v1/models}. */
final class ServerInfo {
    private ServerInfo() {
    }

    static String version() {
        String v = ServerInfo.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** Names follow TEI's /info where one exists (model_id, max_input_length, max_client_batch_size). */
    static JsonNode info(ModelService model, ServerConfig config) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("model_id", model.modelId());
        model.aliases().forEach(root.putArray("model_aliases")::add);
        root.put("model_type", "reranker");
        root.put("architecture", model.architecture());
        root.put("max_input_length", model.maxInputLength());
        root.put("long_documents", config.longDocuments().name().toLowerCase(java.util.Locale.ROOT));
        root.put("max_client_batch_size", config.maxDocuments());
        root.put("max_batch_tokens", config.batchTokens());
        ObjectNode limits = root.putObject("limits");
        limits.put("max_documents", config.maxDocuments());
        limits.put("max_body_bytes", config.maxBodyBytes());
        limits.put("max_queued_requests", config.maxQueuedRequests());
        limits.put("max_queued_tokens", config.maxQueuedTokens());
        limits.put("batch_tokens", config.batchTokens());
        limits.put("batch_wait_ms", config.batchWait().toMillis());
        root.put("api_key_required", config.requiresApiKey());
        root.put("version", version());
        return root;
    }

    /** The OpenAI-style model list that many clients probe. */
    static JsonNode models(ModelService model, long createdEpochSeconds) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ObjectNode m = root.putArray("data").addObject();
        m.put("id", model.modelId());
        m.put("object", "model");
        m.put("created", createdEpochSeconds);
        m.put("owned_by", "rerank4j");
        return root;
    }
}

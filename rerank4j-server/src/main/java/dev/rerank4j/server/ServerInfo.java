package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The bodies of {@code GET /info} and {@code GET /v1/models}. */
final class ServerInfo {
    private ServerInfo() {
    }

    static String version() {
        String v = ServerInfo.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /**
     * Names follow TEI's /info where one exists (model_id, model_type, max_input_length, max_client_batch_size):
     * the top level describes the default model, as TEI's single-model /info does, and {@code models} lists
     * every served model, the default first.
     */
    static JsonNode info(ServedModels models, ServerConfig config) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        describe(root, models.defaultModel());
        ArrayNode all = root.putArray("models");
        models.all().forEach(m -> describe(all.addObject(), m));
        root.put("long_documents", config.longDocuments().name().toLowerCase(Locale.ROOT));
        root.put("accept_any_model_name", config.acceptAnyModelName());
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

    private static void describe(ObjectNode out, ModelService model) {
        out.put("model_id", model.modelId());
        model.aliases().forEach(out.putArray("model_aliases")::add);
        out.put("model_type", model.kind());
        out.put("architecture", model.architecture());
        out.put("max_input_length", model.maxInputLength());
        if (model.embeds()) {
            out.put("dimension", model.dimension());
        }
    }

    /** The OpenAI-style model list that many clients probe: every served model, the default first. */
    static JsonNode models(ServedModels models, long createdEpochSeconds) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ModelService model : models.all()) {
            ObjectNode m = data.addObject();
            m.put("id", model.modelId());
            m.put("object", "model");
            m.put("created", createdEpochSeconds);
            m.put("owned_by", "rerank4j");
            m.put("type", model.kind());
            model.aliases().forEach(m.putArray("aliases")::add);
        }
        return root;
    }
}

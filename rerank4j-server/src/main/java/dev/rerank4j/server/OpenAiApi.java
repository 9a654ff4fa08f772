package dev.rerank4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API. {@code input} is a string or an array of strings;
 * vectors are as the model's pipeline makes them (normalised for sentence-transformers models that end in
 * Normalize); {@code encoding_format: base64} sends each vector as its little-endian float32 bytes, as OpenAI
 * does. {@code dimensions} is accepted only when it equals the model's: these models cannot be shortened.
 */
final class OpenAiApi {
    private OpenAiApi() {
    }

    static CompletableFuture<JsonNode> embeddings(RequestFields request, ServedModels models, ServerConfig config) {
        ModelService model = models.resolveEmbedding(request.optionalString("model"), "POST /v1/embeddings");
        List<String> input = request.texts("input", config.maxDocuments());
        String format = request.optionalString("encoding_format").orElse("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.validation("'encoding_format' must be \"float\" or \"base64\", got \"" + format + "\"");
        }
        int dimensions = request.positiveInt("dimensions");
        if (dimensions != 0 && dimensions != model.dimension()) {
            throw ApiException.validation("'dimensions' " + dimensions + " is not supported: model '"
                    + model.modelId() + "' makes " + model.dimension() + "-dimensional vectors and cannot shorten them");
        }
        boolean base64 = format.equals("base64");
        return model.embed(input, model.normalizes(), Truncation.Direction.RIGHT).thenApply(embedded -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            int tokens = 0;
            for (int i = 0; i < embedded.size(); i++) {
                ObjectNode d = data.addObject().put("object", "embedding").put("index", i);
                float[] v = embedded.get(i).vector();
                if (base64) {
                    ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(v);
                    d.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
                } else {
                    ArrayNode a = d.putArray("embedding");
                    for (float f : v) {
                        a.add(f);
                    }
                }
                tokens += embedded.get(i).tokens();
            }
            root.put("model", model.modelId());
            root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            return root;
        });
    }
}

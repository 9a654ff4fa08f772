package dev.rerank4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The encoder hyper-parameters from a Hugging Face {@code config.json}.
 *
 * @param alibi symmetric ALiBi attention biases instead of a position-embedding table
 * @param numLabels classifier outputs; -1 when the config does not say (JinaBERT) and the weights must tell
 */
public record ModelConfig(
        String modelType,
        String architectureName,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        float layerNormEps,
        Activation hiddenAct,
        boolean alibi,
        FeedForward feedForward,
        int numLabels,
        int padTokenId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public static ModelConfig read(Path configJson) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(configJson));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(configJson, "no such file (a model directory needs config.json)");
        } catch (IOException e) {
            throw new ModelFormatException(configJson, "not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ModelFormatException(configJson, "expected a JSON object");
        }
        String modelType = n.path("model_type").asText("");
        String arch = n.path("architectures").path(0).asText("");
        if (!modelType.equals("bert")) {
            throw new ModelFormatException(configJson, "unsupported architecture '" + (arch.isEmpty() ? "?" : arch)
                    + "' (model_type '" + modelType + "'); supported: JinaBertForSequenceClassification, "
                    + "BertForSequenceClassification, BertModel (model_type 'bert')");
        }
        String positions = n.path("position_embedding_type").asText("absolute");
        boolean alibi = switch (positions) {
            case "alibi" -> true;
            case "absolute" -> false;
            default -> throw new ModelFormatException(configJson, "unsupported position_embedding_type '"
                    + positions + "'; supported: absolute, alibi");
        };
        String ff = n.path("feed_forward_type").asText(alibi ? "geglu" : "original");
        FeedForward feedForward = switch (ff) {
            case "original" -> FeedForward.MLP;
            case "geglu" -> FeedForward.GEGLU;
            case "reglu" -> FeedForward.REGLU;
            default -> throw new ModelFormatException(configJson, "unsupported feed_forward_type '" + ff
                    + "'; supported: original, geglu, reglu");
        };
        Activation act;
        try {
            act = Activation.fromConfig(n.path("hidden_act").asText("gelu"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(configJson, e.getMessage());
        }
        int hidden = positive(configJson, n, "hidden_size");
        int heads = positive(configJson, n, "num_attention_heads");
        if (hidden % heads != 0) {
            throw new ModelFormatException(configJson, "hidden_size " + hidden + " is not a multiple of "
                    + "num_attention_heads " + heads);
        }
        int numLabels = n.has("num_labels") ? n.get("num_labels").asInt()
                : n.has("id2label") ? n.get("id2label").size() : -1;
        return new ModelConfig(modelType, arch,
                positive(configJson, n, "vocab_size"), hidden,
                positive(configJson, n, "num_hidden_layers"), heads,
                positive(configJson, n, "intermediate_size"),
                positive(configJson, n, "max_position_embeddings"),
                n.path("type_vocab_size").asInt(2),
                (float) n.path("layer_norm_eps").asDouble(1e-12),
                act, alibi, feedForward, numLabels,
                n.path("pad_token_id").asInt(0));
    }

    private static int positive(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new ModelFormatException(file, "field '" + field + "' must be a positive integer, found "
                    + (v == null ? "nothing" : v.toString()));
        }
        return v.asInt();
    }
}

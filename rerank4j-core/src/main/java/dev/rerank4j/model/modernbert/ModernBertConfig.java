package dev.rerank4j.model.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A ModernBERT {@code config.json} (transformers' {@code ModernBertConfig}, 4.48 generation). Settings that only
 * matter for training (dropouts, initialisers, compile and flash-attention switches) or for the masked-LM head
 * ({@code decoder_bias}, {@code sparse_prediction}) are not kept.
 *
 * @param globalAttnEveryNLayers layer i attends globally when {@code i % n == 0}, else within the local window
 * @param localAttention the sliding window's total width; a local layer's query sees keys up to half of it away
 * @param numLabels classifier outputs from {@code num_labels} or {@code id2label}; -1 when the config says neither
 */
public record ModernBertConfig(
        String architectureName,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        Activation hiddenActivation,
        float normEps,
        boolean normBias,
        boolean attentionBias,
        boolean mlpBias,
        int globalAttnEveryNLayers,
        int localAttention,
        double globalRopeTheta,
        double localRopeTheta,
        Pooling classifierPooling,
        Activation classifierActivation,
        boolean classifierBias,
        int numLabels,
        int padTokenId) {

    /** How the classification head reduces the final token states to one vector. */
    public enum Pooling { CLS, MEAN }

    public static final String MODEL_TYPE = "modernbert";
    private static final ObjectMapper JSON = new ObjectMapper();

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public boolean isGlobal(int layer) {
        return layer % globalAttnEveryNLayers == 0;
    }

    /** How far a local layer's query looks each way ({@code local_attention // 2}, as upstream). */
    public int localRadius() {
        return localAttention / 2;
    }

    public static ModernBertConfig read(Path configJson) {
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
        return parse(configJson, n);
    }

    static ModernBertConfig parse(Path file, JsonNode n) {
        String modelType = n.path("model_type").asText("");
        if (!modelType.equals(MODEL_TYPE)) {
            throw new ModelFormatException(file, "model_type '" + modelType + "' is not '" + MODEL_TYPE + "'");
        }
        for (String unsupported : new String[] {"rope_scaling", "rope_parameters"}) {
            if (n.hasNonNull(unsupported)) {
                throw new ModelFormatException(file, "'" + unsupported + "' is not supported; rerank4j reads "
                        + "ModernBERT's global_rope_theta and local_rope_theta only");
            }
        }
        int hidden = positive(file, n, "hidden_size", 768);
        int heads = positive(file, n, "num_attention_heads", 12);
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new ModelFormatException(file, "hidden_size " + hidden + " / num_attention_heads " + heads
                    + " must be a whole, even head size (rotary embeddings rotate pairs of dimensions)");
        }
        String pooling = n.path("classifier_pooling").asText("cls");
        Pooling classifierPooling = switch (pooling) {
            case "cls" -> Pooling.CLS;
            case "mean" -> Pooling.MEAN;
            default -> throw new ModelFormatException(file, "unsupported classifier_pooling '" + pooling
                    + "'; supported: cls, mean");
        };
        int numLabels = n.has("num_labels") ? n.get("num_labels").asInt()
                : n.has("id2label") ? n.get("id2label").size() : -1;
        return new ModernBertConfig(n.path("architectures").path(0).asText(""),
                positive(file, n, "vocab_size", 50368), hidden,
                positive(file, n, "num_hidden_layers", 22), heads,
                positive(file, n, "intermediate_size", 1152),
                positive(file, n, "max_position_embeddings", 8192),
                activation(file, n, "hidden_activation"),
                (float) positiveDouble(file, n, "norm_eps", 1e-5),
                n.path("norm_bias").asBoolean(false),
                n.path("attention_bias").asBoolean(false),
                n.path("mlp_bias").asBoolean(false),
                positive(file, n, "global_attn_every_n_layers", 3),
                positive(file, n, "local_attention", 128),
                positiveDouble(file, n, "global_rope_theta", 160000),
                positiveDouble(file, n, "local_rope_theta", 10000),
                classifierPooling,
                activation(file, n, "classifier_activation"),
                n.path("classifier_bias").asBoolean(false),
                numLabels,
                n.path("pad_token_id").asInt(50283));
    }

    private static Activation activation(Path file, JsonNode n, String field) {
        try {
            return Activation.fromConfig(n.path(field).asText("gelu"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, field + ": " + e.getMessage());
        }
    }

    private static int positive(Path file, JsonNode n, String field, int fallback) {
        JsonNode v = n.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || v.asInt() <= 0) {
            throw new ModelFormatException(file, "field '" + field + "' must be a positive integer, found " + v);
        }
        return v.asInt();
    }

    private static double positiveDouble(Path file, JsonNode n, String field, double fallback) {
        JsonNode v = n.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() <= 0) {
            throw new ModelFormatException(file, "field '" + field + "' must be a positive number, found " + v);
        }
        return v.asDouble();
    }
}

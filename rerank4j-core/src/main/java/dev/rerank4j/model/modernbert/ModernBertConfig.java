package dev.rerank4j.model.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.ConfigFile;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.ModelSpec;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.weights.TensorSource;
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
        Architecture architecture,
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
        HeadPooling classifierPooling,
        Activation classifierActivation,
        boolean classifierBias,
        int numLabels,
        int padTokenId) implements ModelSpec {

    /** How the classification head reduces the final token states to one vector. */
    public enum HeadPooling { CLS, MEAN }

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

    @Override
    public int maxPositions() {
        return maxPositionEmbeddings;
    }

    @Override
    public Model load(Path directory, TensorSource tensors, Kernels kernels) {
        boolean cross = architecture.isCrossEncoder();
        return new ModernBertEncoder(directory, this, ModernBertWeights.load(tensors, this, cross, kernels), kernels,
                cross ? null : Pooling.read(directory));
    }

    /** Reads a {@code modernbert} config, refusing what the forward pass does not implement. */
    public static ModernBertConfig read(ConfigFile c, Architecture architecture) {
        JsonNode n = c.json();
        for (String unsupported : new String[] {"rope_scaling", "rope_parameters"}) {
            if (n.hasNonNull(unsupported)) {
                throw c.problem("'" + unsupported + "' is not supported; rerank4j reads ModernBERT's "
                        + "global_rope_theta and local_rope_theta only");
            }
        }
        int hidden = positive(c, "hidden_size", 768);
        int heads = positive(c, "num_attention_heads", 12);
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw c.problem("hidden_size " + hidden + " / num_attention_heads " + heads
                    + " must be a whole, even head size (rotary embeddings rotate pairs of dimensions)");
        }
        String pooling = c.textOr("classifier_pooling", "cls");
        HeadPooling classifierPooling = switch (pooling) {
            case "cls" -> HeadPooling.CLS;
            case "mean" -> HeadPooling.MEAN;
            default -> throw c.problem("unsupported classifier_pooling '" + pooling + "'; supported: cls, mean");
        };
        int numLabels = n.has("num_labels") ? n.get("num_labels").asInt()
                : n.has("id2label") ? n.get("id2label").size() : -1;
        return new ModernBertConfig(architecture,
                positive(c, "vocab_size", 50368), hidden,
                positive(c, "num_hidden_layers", 22), heads,
                positive(c, "intermediate_size", 1152),
                positive(c, "max_position_embeddings", 8192),
                activation(c, "hidden_activation"),
                (float) positiveDouble(c, "norm_eps", 1e-5),
                n.path("norm_bias").asBoolean(false),
                n.path("attention_bias").asBoolean(false),
                n.path("mlp_bias").asBoolean(false),
                positive(c, "global_attn_every_n_layers", 3),
                positive(c, "local_attention", 128),
                positiveDouble(c, "global_rope_theta", 160000),
                positiveDouble(c, "local_rope_theta", 10000),
                classifierPooling,
                activation(c, "classifier_activation"),
                n.path("classifier_bias").asBoolean(false),
                numLabels,
                c.intOr("pad_token_id", 50283));
    }

    private static Activation activation(ConfigFile c, String field) {
        try {
            return Activation.fromConfig(c.textOr(field, "gelu"));
        } catch (IllegalArgumentException e) {
            throw c.problem(field + ": " + e.getMessage());
        }
    }

    /** The field when present (then it must be a positive integer), else the upstream default. */
    private static int positive(ConfigFile c, String field, int fallback) {
        return c.has(field) ? c.positiveInt(field) : fallback;
    }

    private static double positiveDouble(ConfigFile c, String field, double fallback) {
        JsonNode v = c.json().get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() <= 0) {
            throw c.problem("field '" + field + "' must be a positive number, found " + v);
        }
        return v.asDouble();
    }
}

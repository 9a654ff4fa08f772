package dev.rerank4j.model.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Qwen3 decoder's hyper-parameters from its {@code config.json}. Settings the forward pass does not implement
 * (attention biases, sliding windows, rope scaling, another activation) are refused here, by name, rather than
 * silently computed wrong.
 *
 * @param headDim per-head width, from the config ({@code numHeads * headDim} may differ from hiddenSize)
 * @param sequenceClassification a {@code Qwen3ForSequenceClassification} checkpoint: one-row {@code score} head
 */
public record DecoderConfig(
        String architecture,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int maxPositions,
        double ropeTheta,
        float rmsNormEps,
        boolean tieWordEmbeddings,
        boolean sequenceClassification) {

    public static final String MODEL_TYPE = "qwen3";
    public static final List<String> ARCHITECTURES = List.of("Qwen3ForCausalLM", "Qwen3ForSequenceClassification");
    private static final ObjectMapper JSON = new ObjectMapper();

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** Whether a config.json describes this family (its {@code model_type}). */
    public static boolean describes(JsonNode config) {
        return MODEL_TYPE.equals(config.path("model_type").asText(""));
    }

    public static DecoderConfig read(Path configJson) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(configJson));
        } catch (IOException e) {
            throw new ModelFormatException(configJson, "cannot read: " + e.getMessage(), e);
        }
        return parse(n, configJson);
    }

    static DecoderConfig parse(JsonNode n, Path file) {
        if (!describes(n)) {
            throw new ModelFormatException(file, "model_type '" + n.path("model_type").asText("") + "' is not "
                    + MODEL_TYPE);
        }
        String arch = n.path("architectures").path(0).asText("Qwen3ForCausalLM");
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException(file, "unsupported architecture '" + arch + "' for model_type "
                    + MODEL_TYPE + "; supported: " + String.join(", ", ARCHITECTURES));
        }
        refuseUnless(file, n.path("attention_bias").asBoolean(false) == false, "attention_bias true");
        String act = n.path("hidden_act").asText("silu");
        refuseUnless(file, act.equals("silu"), "hidden_act '" + act + "' (only silu)");
        refuseUnless(file, !n.path("use_sliding_window").asBoolean(false), "use_sliding_window true");
        JsonNode scaling = n.path("rope_scaling");
        refuseUnless(file, scaling.isMissingNode() || scaling.isNull()
                || "default".equals(scaling.path("rope_type").asText(scaling.path("type").asText(""))),
                "rope_scaling " + scaling + " (only the default rotary embedding)");
        for (JsonNode t : n.path("layer_types")) {
            refuseUnless(file, t.asText().equals("full_attention"), "layer type '" + t.asText() + "'");
        }
        boolean seqCls = arch.equals("Qwen3ForSequenceClassification");
        if (seqCls) {
            int labels = n.has("num_labels") ? n.get("num_labels").asInt()
                    : n.has("id2label") ? n.get("id2label").size() : 1;
            refuseUnless(file, labels == 1, labels + " labels (a reranker's score head has one)");
        }
        int hidden = positive(file, n, "hidden_size");
        int heads = positive(file, n, "num_attention_heads");
        int kvHeads = n.has("num_key_value_heads") ? positive(file, n, "num_key_value_heads") : heads;
        int headDim = n.hasNonNull("head_dim") ? positive(file, n, "head_dim") : hidden / heads;
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(file, "num_attention_heads " + heads + " is not a multiple of "
                    + "num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw new ModelFormatException(file, "head_dim " + headDim + " is odd; rotary embeddings need pairs");
        }
        double theta = n.path("rope_theta").asDouble(10000);
        if (!(theta > 1)) {
            throw new ModelFormatException(file, "rope_theta must be > 1, found " + n.path("rope_theta"));
        }
        return new DecoderConfig(arch, positive(file, n, "vocab_size"), hidden,
                positive(file, n, "num_hidden_layers"), heads, kvHeads, headDim,
                positive(file, n, "intermediate_size"), positive(file, n, "max_position_embeddings"), theta,
                (float) n.path("rms_norm_eps").asDouble(1e-6), n.path("tie_word_embeddings").asBoolean(false),
                seqCls);
    }

    private static void refuseUnless(Path file, boolean ok, String setting) {
        if (!ok) {
            throw new ModelFormatException(file, "unsupported Qwen3 setting: " + setting);
        }
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

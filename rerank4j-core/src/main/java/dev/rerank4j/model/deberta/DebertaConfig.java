package dev.rerank4j.model.deberta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A DeBERTa-v2/v3 {@code config.json} (model_type {@code deberta-v2}), with transformers' defaults for absent
 * fields. Only the DeBERTa-v3 combination is implemented: relative attention with both disentangled terms
 * (c2p and p2c) through the layer's own query and key projections, a layer-normed relative table, no absolute
 * positions, no token types, no convolution; {@link #read} refuses anything else by name.
 *
 * @param positionBuckets log-bucketing of relative distances into this many buckets per side; 0 means none
 * @param maxRelativePositions the largest distance the buckets cover (max_position_embeddings when the config
 *     says -1)
 * @param numLabels classifier outputs per the config (id2label), -1 when it does not say
 */
public record DebertaConfig(
        String architectureName,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        float layerNormEps,
        Activation hiddenAct,
        int poolerHiddenSize,
        Activation poolerAct,
        int positionBuckets,
        int maxRelativePositions,
        int numLabels,
        int padTokenId) {

    public static final String MODEL_TYPE = "deberta-v2";
    private static final ObjectMapper JSON = new ObjectMapper();

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /**
     * Relative positions on each side of a token that have their own embedding: position_buckets when the
     * distances are bucketed, else max_relative_positions. The relative table has twice as many rows.
     */
    public int attentionSpan() {
        return positionBuckets > 0 ? positionBuckets : maxRelativePositions;
    }

    public static DebertaConfig read(Path configJson) {
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
        return of(configJson, n);
    }

    /** The config in {@code n}, read from {@code file} (named in errors). */
    public static DebertaConfig of(Path file, JsonNode n) {
        String modelType = n.path("model_type").asText("");
        if (!modelType.equals(MODEL_TYPE)) {
            throw new ModelFormatException(file, "model_type '" + modelType + "' is not '" + MODEL_TYPE + "'");
        }
        Reader r = new Reader(file, n);
        r.require("relative_attention", false, true,
                "models without relative attention (DeBERTa-v1 style absolute positions) are not supported");
        r.require("position_biased_input", true, false,
                "absolute position embeddings added to the input are not supported");
        r.require("share_att_key", false, true,
                "separate position projections (pos_key_proj, pos_query_proj) are not supported");
        List<String> posAtt = r.list("pos_att_type");
        if (!new TreeSet<>(posAtt).equals(new TreeSet<>(List.of("c2p", "p2c")))) {
            throw r.error("pos_att_type " + posAtt + " is not supported; supported: [p2c, c2p] "
                    + "(both content-to-position and position-to-content terms)");
        }
        List<String> norm = r.list("norm_rel_ebd");
        if (!norm.equals(List.of("layer_norm"))) {
            throw r.error("norm_rel_ebd " + (norm.isEmpty() ? "none" : String.join("|", norm))
                    + " is not supported; supported: layer_norm");
        }
        if (n.path("type_vocab_size").asInt(0) != 0) {
            throw r.error("type_vocab_size " + n.get("type_vocab_size") + " is not supported; supported: 0 "
                    + "(no token-type embeddings)");
        }
        if (n.path("conv_kernel_size").asInt(0) != 0) {
            throw r.error("conv_kernel_size " + n.get("conv_kernel_size") + " is not supported; supported: 0 "
                    + "(no convolution layer)");
        }
        int hidden = r.positive("hidden_size");
        int heads = r.positive("num_attention_heads");
        if (hidden % heads != 0) {
            throw r.error("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        if (n.has("attention_head_size") && n.get("attention_head_size").asInt() != hidden / heads) {
            throw r.error("attention_head_size " + n.get("attention_head_size") + " is not supported; supported: "
                    + "hidden_size / num_attention_heads = " + hidden / heads);
        }
        if (n.has("embedding_size") && n.get("embedding_size").asInt() != hidden) {
            throw r.error("embedding_size " + n.get("embedding_size") + " is not supported; supported: "
                    + "hidden_size (" + hidden + ", no embedding projection)");
        }
        int maxPositions = r.positive("max_position_embeddings");
        int maxRelative = n.path("max_relative_positions").asInt(-1);
        int buckets = Math.max(0, n.path("position_buckets").asInt(-1));
        int numLabels = n.has("num_labels") ? n.get("num_labels").asInt()
                : n.has("id2label") ? n.get("id2label").size() : -1;
        return new DebertaConfig(n.path("architectures").path(0).asText(""),
                r.positive("vocab_size"), hidden, r.positive("num_hidden_layers"), heads,
                r.positive("intermediate_size"), maxPositions,
                (float) n.path("layer_norm_eps").asDouble(1e-7),
                r.activation("hidden_act"),
                n.has("pooler_hidden_size") ? r.positive("pooler_hidden_size") : hidden,
                r.activation("pooler_hidden_act"),
                buckets, maxRelative < 1 ? maxPositions : maxRelative,
                numLabels, n.path("pad_token_id").asInt(0));
    }

    /** Field access with transformers' defaults and errors that name the file and the field. */
    private record Reader(Path file, JsonNode n) {
        ModelFormatException error(String message) {
            return new ModelFormatException(file, message);
        }

        void require(String field, boolean absentMeans, boolean supported, String otherwise) {
            JsonNode v = n.get(field);
            if (v != null && !v.isBoolean()) {
                throw error("field '" + field + "' must be true or false, found " + v);
            }
            boolean value = v == null ? absentMeans : v.asBoolean();
            if (value != supported) {
                throw error(field + " " + value + (v == null ? " (the default)" : "") + ": " + otherwise
                        + "; supported: " + field + " " + supported);
            }
        }

        /** A list field that may also be written as one string "a|b", lower-cased; absent means empty. */
        List<String> list(String field) {
            JsonNode v = n.get(field);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (v.isArray()) {
                v.forEach(e -> out.add(e.asText().trim().toLowerCase(Locale.ROOT)));
            } else {
                for (String s : v.asText().split("\\|")) {
                    out.add(s.trim().toLowerCase(Locale.ROOT));
                }
            }
            out.removeIf(s -> s.isEmpty() || s.equals("none"));
            return out;
        }

        int positive(String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
                throw error("field '" + field + "' must be a positive integer, found "
                        + (v == null ? "nothing" : v.toString()));
            }
            return v.asInt();
        }

        Activation activation(String field) {
            try {
                return Activation.fromConfig(n.path(field).asText("gelu"));
            } catch (IllegalArgumentException e) {
                throw error(field + ": " + e.getMessage());
            }
        }
    }
}

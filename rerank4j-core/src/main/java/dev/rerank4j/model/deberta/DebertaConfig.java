package dev.rerank4j.model.deberta;

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
 * @param positionBuckets distances beyond half of this are log-bucketed, and this many relative positions on
 *     each side have an embedding; 0 means no bucketing
 * @param maxRelativePositions the largest distance the buckets cover (max_position_embeddings when the config
 *     says -1)
 * @param numLabels classifier outputs per the config (id2label), -1 when it does not say
 */
public record DebertaConfig(
        Architecture architecture,
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
        int padTokenId) implements ModelSpec {

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

    /**
     * The trained length. Relative positions would let longer inputs run (distances past the buckets share the
     * last one), but the models were trained, and their tokenizers configured, for max_position_embeddings.
     */
    @Override
    public int maxPositions() {
        return maxPositionEmbeddings;
    }

    @Override
    public Model load(Path directory, TensorSource tensors, Kernels kernels) {
        boolean cross = architecture.isCrossEncoder();
        DebertaWeights weights = DebertaWeights.load(tensors, this, cross, kernels);
        return new DebertaEncoder(directory, this, weights, kernels, cross ? null : Pooling.read(directory));
    }

    /** Reads a {@code deberta-v2} config (DeBERTa-v2 and -v3 checkpoints both use it). */
    public static DebertaConfig read(ConfigFile c, Architecture architecture) {
        Fields r = new Fields(c);
        r.require("relative_attention", false, true,
                "models without relative attention (DeBERTa-v1 style absolute positions) are not supported");
        r.require("position_biased_input", true, false,
                "absolute position embeddings added to the input are not supported");
        r.require("share_att_key", false, true,
                "separate position projections (pos_key_proj, pos_query_proj) are not supported");
        List<String> posAtt = r.list("pos_att_type");
        if (!new TreeSet<>(posAtt).equals(new TreeSet<>(List.of("c2p", "p2c")))) {
            throw c.problem("pos_att_type " + posAtt + " is not supported; supported: [p2c, c2p] "
                    + "(both content-to-position and position-to-content terms)");
        }
        List<String> norm = r.list("norm_rel_ebd");
        if (!norm.equals(List.of("layer_norm"))) {
            throw c.problem("norm_rel_ebd " + (norm.isEmpty() ? "none" : String.join("|", norm))
                    + " is not supported; supported: layer_norm");
        }
        if (c.intOr("type_vocab_size", 0) != 0) {
            throw c.problem("type_vocab_size " + c.json().get("type_vocab_size") + " is not supported; supported: 0 "
                    + "(no token-type embeddings)");
        }
        if (c.intOr("conv_kernel_size", 0) != 0) {
            throw c.problem("conv_kernel_size " + c.json().get("conv_kernel_size") + " is not supported; "
                    + "supported: 0 (no convolution layer)");
        }
        int hidden = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        if (hidden % heads != 0) {
            throw c.problem("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        if (c.has("attention_head_size") && c.intOr("attention_head_size", 0) != hidden / heads) {
            throw c.problem("attention_head_size " + c.json().get("attention_head_size") + " is not supported; "
                    + "supported: hidden_size / num_attention_heads = " + hidden / heads);
        }
        if (c.has("embedding_size") && c.intOr("embedding_size", 0) != hidden) {
            throw c.problem("embedding_size " + c.json().get("embedding_size") + " is not supported; supported: "
                    + "hidden_size (" + hidden + ", no embedding projection)");
        }
        int maxPositions = c.positiveInt("max_position_embeddings");
        int maxRelative = c.intOr("max_relative_positions", -1);
        int numLabels = c.has("num_labels") ? c.intOr("num_labels", -1)
                : c.has("id2label") ? c.json().get("id2label").size() : -1;
        return new DebertaConfig(architecture,
                c.positiveInt("vocab_size"), hidden, c.positiveInt("num_hidden_layers"), heads,
                c.positiveInt("intermediate_size"), maxPositions,
                (float) c.doubleOr("layer_norm_eps", 1e-7),
                r.activation("hidden_act"),
                c.has("pooler_hidden_size") ? c.positiveInt("pooler_hidden_size") : hidden,
                r.activation("pooler_hidden_act"),
                Math.max(0, c.intOr("position_buckets", -1)), maxRelative < 1 ? maxPositions : maxRelative,
                numLabels, c.intOr("pad_token_id", 0));
    }

    /** The field kinds DeBERTa's config has beyond {@link ConfigFile}'s, with transformers' defaults. */
    private record Fields(ConfigFile c) {
        void require(String field, boolean absentMeans, boolean supported, String otherwise) {
            JsonNode v = c.json().get(field);
            if (v != null && !v.isBoolean()) {
                throw c.problem("field '" + field + "' must be true or false, found " + v);
            }
            boolean value = v == null ? absentMeans : v.asBoolean();
            if (value != supported) {
                throw c.problem(field + " " + value + (v == null ? " (the default)" : "") + ": " + otherwise
                        + "; supported: " + field + " " + supported);
            }
        }

        /** A list field that may also be written as one string "a|b", lower-cased; absent or "none" is empty. */
        List<String> list(String field) {
            JsonNode v = c.json().get(field);
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

        Activation activation(String field) {
            try {
                return Activation.fromConfig(c.textOr(field, "gelu"));
            } catch (IllegalArgumentException e) {
                throw c.problem(field + ": " + e.getMessage());
            }
        }
    }
}

package dev.rerank4j.model.decoder;

import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.ConfigFile;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.ModelSpec;
import dev.rerank4j.model.PairFormat;
import dev.rerank4j.weights.TensorSource;
import java.nio.file.Path;

/**
 * A Qwen3 decoder's hyper-parameters from its {@code config.json}. Settings the forward pass does not implement
 * (attention biases, sliding windows, rope scaling, another activation) are refused here, by name, rather than
 * silently computed wrong.
 *
 * @param headDim per-head width, from the config ({@code numHeads * headDim} may differ from hiddenSize)
 * @param sequenceClassification a {@code Qwen3ForSequenceClassification} checkpoint: one-row {@code score} head
 */
public record DecoderConfig(
        Architecture architecture,
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
        boolean sequenceClassification) implements ModelSpec {

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /**
     * Loads the model. The yes/no rows are looked up in the directory's vocabulary, as the model card does; the
     * weights are read a layer at a time by {@link DecoderWeights} rather than through the mapped {@code tensors}.
     */
    @Override
    public Model load(Path directory, TensorSource tensors, Kernels kernels) {
        return DecoderModel.load(directory, this, kernels, RerankPrompt.yesNoIds(directory));
    }

    /** The Qwen3-Reranker prompt around the pair. */
    @Override
    public PairFormat pairFormat() {
        return new RerankPrompt.Format();
    }

    public static DecoderConfig read(ConfigFile c, Architecture architecture) {
        refuseUnless(c, !c.json().path("attention_bias").asBoolean(false), "attention_bias true");
        String act = c.textOr("hidden_act", "silu");
        refuseUnless(c, act.equals("silu"), "hidden_act '" + act + "' (only silu)");
        refuseUnless(c, !c.json().path("use_sliding_window").asBoolean(false), "use_sliding_window true");
        var scaling = c.json().path("rope_scaling");
        refuseUnless(c, scaling.isMissingNode() || scaling.isNull()
                || "default".equals(scaling.path("rope_type").asText(scaling.path("type").asText(""))),
                "rope_scaling " + scaling + " (only the default rotary embedding)");
        for (var t : c.json().path("layer_types")) {
            refuseUnless(c, t.asText().equals("full_attention"), "layer type '" + t.asText() + "'");
        }
        boolean seqCls = c.architectureName().equals("Qwen3ForSequenceClassification");
        if (seqCls) {
            int labels = c.has("num_labels") ? c.intOr("num_labels", 1)
                    : c.has("id2label") ? c.json().get("id2label").size() : 1;
            refuseUnless(c, labels == 1, labels + " labels (a reranker's score head has one)");
        }
        int hidden = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        int kvHeads = c.has("num_key_value_heads") ? c.positiveInt("num_key_value_heads") : heads;
        int headDim = c.json().hasNonNull("head_dim") ? c.positiveInt("head_dim") : hidden / heads;
        if (heads % kvHeads != 0) {
            throw c.problem("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw c.problem("head_dim " + headDim + " is odd; rotary embeddings need pairs");
        }
        double theta = c.doubleOr("rope_theta", 10000);
        if (!(theta > 1)) {
            throw c.problem("rope_theta must be > 1, found " + c.json().path("rope_theta"));
        }
        return new DecoderConfig(architecture, c.positiveInt("vocab_size"), hidden, c.positiveInt("num_hidden_layers"),
                heads, kvHeads, headDim, c.positiveInt("intermediate_size"), c.positiveInt("max_position_embeddings"),
                theta, (float) c.doubleOr("rms_norm_eps", 1e-6), c.json().path("tie_word_embeddings").asBoolean(false),
                seqCls);
    }

    private static void refuseUnless(ConfigFile c, boolean ok, String setting) {
        if (!ok) {
            throw c.problem("unsupported Qwen3 setting: " + setting);
        }
    }
}

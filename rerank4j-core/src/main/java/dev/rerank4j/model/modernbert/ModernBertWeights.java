package dev.rerank4j.model.modernbert;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.weights.Tensor;
import dev.rerank4j.weights.TensorSource;

/**
 * ModernBERT's tensors (names as in transformers' {@code modeling_modernbert.py}) converted once into the kernels'
 * layout. The token embedding table stays a view of the stored tensor, widened row by row when looked up.
 *
 * @param head null for a base model (bi-encoder); else the sequence-classification head
 */
record ModernBertWeights(
        Tensor tokEmbeddings,
        float[] embNormGamma, float[] embNormBeta,
        LayerWeights[] layers,
        float[] finalNormGamma, float[] finalNormBeta,
        Head head) {

    /** {@code classifier(head.norm(act(head.dense(pooled))))}. */
    record Head(PackedMatrix dense, float[] denseBias, float[] normGamma, float[] normBeta,
            PackedMatrix classifier, float[] classifierBias) {
        int numLabels() {
            return classifier.rows();
        }
    }

    static ModernBertWeights load(TensorSource src, ModernBertConfig cfg, boolean withHead, Kernels k) {
        // ModernBertForSequenceClassification nests the encoder under "model."; a saved ModernBertModel does not
        String p = src.find("model.embeddings.tok_embeddings.weight").isPresent() ? "model." : "";
        int h = cfg.hiddenSize();
        int inter = cfg.intermediateSize();
        Tensor tok = src.get(p + "embeddings.tok_embeddings.weight", cfg.vocabSize(), h);
        float[][] embNorm = norm(src, cfg, p + "embeddings.norm");
        LayerWeights[] layers = new LayerWeights[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String l = p + "layers." + i + ".";
            float[][] attnNorm = i == 0 ? new float[2][] : norm(src, cfg, l + "attn_norm");
            float[][] mlpNorm = norm(src, cfg, l + "mlp_norm");
            layers[i] = new LayerWeights(attnNorm[0], attnNorm[1],
                    k.pack(src.get(l + "attn.Wqkv.weight", 3 * h, h)), bias(src, cfg.attentionBias(), l + "attn.Wqkv", 3 * h),
                    k.pack(src.get(l + "attn.Wo.weight", h, h)), bias(src, cfg.attentionBias(), l + "attn.Wo", h),
                    mlpNorm[0], mlpNorm[1],
                    // Wi is [input | gate] and GeGLU is act(input) * gate: the activated half comes first, as packGated wants
                    k.packGated(src.get(l + "mlp.Wi.weight", 2 * inter, h)), bias(src, cfg.mlpBias(), l + "mlp.Wi", 2 * inter),
                    k.pack(src.get(l + "mlp.Wo.weight", h, inter)), bias(src, cfg.mlpBias(), l + "mlp.Wo", h));
        }
        float[][] finalNorm = norm(src, cfg, p + "final_norm");
        Head head = null;
        if (withHead) {
            Tensor cls = src.find("classifier.weight").orElseThrow(() -> new ModelFormatException(src.origin(),
                    "tensor 'classifier.weight' is missing: not a ModernBertForSequenceClassification checkpoint"));
            int labels = cls.shape()[0];
            if (cfg.numLabels() > 0 && cfg.numLabels() != labels) {
                throw new ModelFormatException(src.origin(), "config says " + cfg.numLabels()
                        + " labels but classifier.weight has " + labels + " rows");
            }
            float[][] headNorm = norm(src, cfg, "head.norm");
            head = new Head(k.pack(src.get("head.dense.weight", h, h)), bias(src, cfg.classifierBias(), "head.dense", h),
                    headNorm[0], headNorm[1],
                    k.pack(src.get("classifier.weight", labels, h)), src.get("classifier.bias", labels).toFloats());
        }
        return new ModernBertWeights(tok, embNorm[0], embNorm[1], layers, finalNorm[0], finalNorm[1], head);
    }

    /** A LayerNorm's {gamma, beta}; beta is zeros when the config has no norm biases. */
    private static float[][] norm(TensorSource src, ModernBertConfig cfg, String name) {
        int h = cfg.hiddenSize();
        float[] gamma = src.get(name + ".weight", h).toFloats();
        float[] beta = cfg.normBias() ? src.get(name + ".bias", h).toFloats() : new float[h];
        return new float[][] {gamma, beta};
    }

    private static float[] bias(TensorSource src, boolean present, String layer, int n) {
        return present ? src.get(layer + ".bias", n).toFloats() : null;
    }
}

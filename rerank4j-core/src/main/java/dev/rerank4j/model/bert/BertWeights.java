package dev.rerank4j.model.bert;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.model.layers.Biases;
import dev.rerank4j.model.layers.Linears;
import dev.rerank4j.weights.Tensor;
import dev.rerank4j.weights.TensorSource;
import java.util.Arrays;

/**
 * All weights of an encoder, converted once from the stored tensors into the kernels' layout. The token
 * embedding table stays a view of the stored tensor: rows are widened when looked up, so a 60k-row table
 * costs no heap.
 */
record BertWeights(
        Tensor wordEmbeddings,
        float[] positionEmbeddings,
        float[] tokenTypeEmbeddings,
        float[] embLnGamma, float[] embLnBeta,
        LayerWeights[] layers,
        PackedMatrix headDense, float[] headDenseBias,
        PackedMatrix headOut, float[] headOutBias) {

    int numLabels() {
        return headOut == null ? 0 : headOut.rows();
    }

    static BertWeights load(TensorSource src, BertConfig cfg, boolean withHead, Linears k) {
        String p = prefix(src, cfg.weightPrefix());
        int h = cfg.hiddenSize();
        int inter = cfg.intermediateSize();
        Tensor word = src.get(p + "embeddings.word_embeddings.weight", cfg.vocabSize(), h);
        float[] pos = cfg.alibi() ? null
                : src.get(p + "embeddings.position_embeddings.weight", cfg.maxPositionEmbeddings(), h).toFloats();
        float[] types = src.get(p + "embeddings.token_type_embeddings.weight", cfg.typeVocabSize(), h).toFloats();
        float[] embG = vec(src, p + "embeddings.LayerNorm.weight", h);
        float[] embB = vec(src, p + "embeddings.LayerNorm.bias", h);

        LayerWeights[] layers = new LayerWeights[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String l = p + "encoder.layer." + i + ".";
            String a = l + "attention.";
            PackedMatrix qkv = k.pack(src.get(a + "self.query.weight", h, h), src.get(a + "self.key.weight", h, h),
                    src.get(a + "self.value.weight", h, h));
            float[] qkvBias = Biases.stacked(vec(src, a + "self.query.bias", h), vec(src, a + "self.key.bias", h),
                    vec(src, a + "self.value.bias", h));
            PackedMatrix attnOut = k.pack(src.get(a + "output.dense.weight", h, h));
            float[] attnOutBias = vec(src, a + "output.dense.bias", h);
            float[] attnG = vec(src, a + "output.LayerNorm.weight", h);
            float[] attnB = vec(src, a + "output.LayerNorm.bias", h);
            if (cfg.feedForward() == FeedForward.MLP) {
                layers[i] = new LayerWeights(qkv, qkvBias, attnOut, attnOutBias, attnG, attnB,
                        k.pack(src.get(l + "intermediate.dense.weight", inter, h)),
                        vec(src, l + "intermediate.dense.bias", inter),
                        k.pack(src.get(l + "output.dense.weight", h, inter)), vec(src, l + "output.dense.bias", h),
                        vec(src, l + "output.LayerNorm.weight", h), vec(src, l + "output.LayerNorm.bias", h));
            } else {
                String m = l + "mlp.";
                layers[i] = new LayerWeights(qkv, qkvBias, attnOut, attnOutBias, attnG, attnB,
                        k.packGated(src.get(m + "gated_layers.weight", 2 * inter, h)), null,
                        k.pack(src.get(m + "wo.weight", h, inter)), vec(src, m + "wo.bias", h),
                        vec(src, m + "layernorm.weight", h), vec(src, m + "layernorm.bias", h));
            }
        }
        if (!withHead) {
            return new BertWeights(word, pos, types, embG, embB, layers, null, null, null, null);
        }
        return switch (cfg.head()) {
            case POOLER_CLASSIFIER -> {
                int labels = labels(src, cfg, "classifier.weight");
                yield new BertWeights(word, pos, types, embG, embB, layers,
                        k.pack(src.get(p + "pooler.dense.weight", h, h)), vec(src, p + "pooler.dense.bias", h),
                        k.pack(src.get("classifier.weight", labels, h)), vec(src, "classifier.bias", labels));
            }
            case ROBERTA_CLASSIFIER -> {
                int labels = labels(src, cfg, "classifier.out_proj.weight");
                yield new BertWeights(word, pos, types, embG, embB, layers,
                        k.pack(src.get("classifier.dense.weight", h, h)), vec(src, "classifier.dense.bias", h),
                        k.pack(src.get("classifier.out_proj.weight", labels, h)),
                        vec(src, "classifier.out_proj.bias", labels));
            }
        };
    }

    /** The classifier's outputs: its weight's rows, which the config's num_labels must agree with. */
    private static int labels(TensorSource src, BertConfig cfg, String name) {
        Tensor w = src.find(name).orElseThrow(() -> new ModelFormatException(src.origin(), "tensor '" + name
                + "' is missing: not a sequence-classification (cross-encoder) checkpoint"));
        if (w.shape().length != 2) {
            throw new ModelFormatException(src.origin(), "tensor '" + name + "' has shape "
                    + Arrays.toString(w.shape()) + ", expected [num_labels, " + cfg.hiddenSize() + "]");
        }
        int labels = w.shape()[0];
        if (cfg.numLabels() > 0 && cfg.numLabels() != labels) {
            throw new ModelFormatException(src.origin(), "config says num_labels " + cfg.numLabels()
                    + " but " + name + " has " + labels + " rows");
        }
        return labels;
    }

    /** Task checkpoints nest the encoder under a prefix ({@code bert.}, {@code roberta.}); bare exports do not. */
    private static String prefix(TensorSource src, String taskPrefix) {
        String word = "embeddings.word_embeddings.weight";
        if (src.find(taskPrefix + word).isPresent()) {
            return taskPrefix;
        }
        if (src.find(word).isPresent()) {
            return "";
        }
        throw new ModelFormatException(src.origin(), "tensor '" + word + "' (or '" + taskPrefix + word
                + "') is missing: not a " + taskPrefix.substring(0, taskPrefix.length() - 1) + " checkpoint");
    }

    private static float[] vec(TensorSource src, String name, int n) {
        return src.get(name, n).toFloats();
    }
}

package dev.rerank4j.model.deberta;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.model.layers.Biases;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import dev.rerank4j.weights.TensorSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DeBERTa-v2/v3 weights under transformers' names ({@code deberta.encoder.layer.N.attention.self.query_proj}, ...),
 * converted once into the kernels' layout. The token embedding table stays a view of the stored tensor.
 */
record DebertaWeights(
        Tensor wordEmbeddings,
        float[] embLnGamma, float[] embLnBeta,
        DebertaLayer[] layers,
        PackedMatrix pooler, float[] poolerBias,
        PackedMatrix classifier, float[] classifierBias) {

    int numLabels() {
        return classifier == null ? 0 : classifier.rows();
    }

    static DebertaWeights load(TensorSource src, DebertaConfig cfg, boolean withHead, Kernels k) {
        String p = prefix(src);
        int h = cfg.hiddenSize();
        int inter = cfg.intermediateSize();
        Tensor word = src.get(p + "embeddings.word_embeddings.weight", cfg.vocabSize(), h);
        float[] embG = vec(src, p + "embeddings.LayerNorm.weight", h);
        float[] embB = vec(src, p + "embeddings.LayerNorm.bias", h);
        int positions = 2 * cfg.attentionSpan();
        float[] rel = src.get(p + "encoder.rel_embeddings.weight", positions, h).toFloats();
        float[] relProjected = new float[positions * 3 * h];
        DebertaLayer[] layers = new DebertaLayer[cfg.numLayers()];
        try (ComputePool here = new ComputePool(1)) {
            k.addLayerNorm(rel, null, positions, h, vec(src, p + "encoder.LayerNorm.weight", h),
                    vec(src, p + "encoder.LayerNorm.bias", h), cfg.layerNormEps(), here);
            for (int i = 0; i < layers.length; i++) {
                String l = p + "encoder.layer." + i + ".";
                String a = l + "attention.";
                PackedMatrix qkv = k.pack(src.get(a + "self.query_proj.weight", h, h),
                        src.get(a + "self.key_proj.weight", h, h), src.get(a + "self.value_proj.weight", h, h));
                float[] qkvBias = Biases.stacked(vec(src, a + "self.query_proj.bias", h),
                        vec(src, a + "self.key_proj.bias", h), vec(src, a + "self.value_proj.bias", h));
                // share_att_key: the relative table goes through the layer's own query and key projections
                k.matmul(rel, positions, qkv, qkvBias, Activation.IDENTITY, relProjected, here);
                layers[i] = new DebertaLayer(qkv, qkvBias,
                        perHead(k, relProjected, positions, cfg, h, "layer " + i + " relative keys"),
                        perHead(k, relProjected, positions, cfg, 0, "layer " + i + " relative queries"),
                        k.pack(src.get(a + "output.dense.weight", h, h)), vec(src, a + "output.dense.bias", h),
                        vec(src, a + "output.LayerNorm.weight", h), vec(src, a + "output.LayerNorm.bias", h),
                        k.pack(src.get(l + "intermediate.dense.weight", inter, h)),
                        vec(src, l + "intermediate.dense.bias", inter),
                        k.pack(src.get(l + "output.dense.weight", h, inter)), vec(src, l + "output.dense.bias", h),
                        vec(src, l + "output.LayerNorm.weight", h), vec(src, l + "output.LayerNorm.bias", h));
            }
        }
        if (!withHead) {
            return new DebertaWeights(word, embG, embB, layers, null, null, null, null);
        }
        Tensor clsW = src.find("classifier.weight").orElseThrow(() -> new ModelFormatException(src.origin(),
                "tensor 'classifier.weight' is missing: not a sequence-classification (cross-encoder) checkpoint"));
        if (clsW.rank() != 2 || clsW.shape()[1] != cfg.poolerHiddenSize()) {
            throw new ModelFormatException(src.origin(), "tensor 'classifier.weight' is " + clsW + ", expected ["
                    + "labels, " + cfg.poolerHiddenSize() + "]");
        }
        int labels = clsW.shape()[0];
        if (cfg.numLabels() > 0 && cfg.numLabels() != labels) {
            throw new ModelFormatException(src.origin(), "config says " + cfg.numLabels()
                    + " labels but classifier.weight has " + labels + " rows");
        }
        int pooled = cfg.poolerHiddenSize();
        return new DebertaWeights(word, embG, embB, layers,
                k.pack(src.get("pooler.dense.weight", pooled, h)), vec(src, "pooler.dense.bias", pooled),
                k.pack(clsW), vec(src, "classifier.bias", labels));
    }

    /** Each head's slice of the [positions, 3H] projections, columns {@code [first + head·d, +d)}, packed alone. */
    private static PackedMatrix[] perHead(Kernels k, float[] projected, int positions, DebertaConfig cfg, int first,
            String what) {
        int d = cfg.headDim();
        int width = 3 * cfg.hiddenSize();
        PackedMatrix[] out = new PackedMatrix[cfg.numHeads()];
        for (int head = 0; head < out.length; head++) {
            ByteBuffer b = ByteBuffer.allocate(positions * d * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < positions; r++) {
                b.asFloatBuffer().put(r * d, projected, r * width + first + head * d, d);
            }
            out[head] = k.pack(Tensor.of(what + ", head " + head, DType.F32, new int[] {positions, d}, b));
        }
        return out;
    }

    /** Classification checkpoints nest the encoder under {@code deberta.}; bare DebertaV2Model exports do not. */
    private static String prefix(TensorSource src) {
        if (src.find("deberta.embeddings.word_embeddings.weight").isPresent()) {
            return "deberta.";
        }
        if (src.find("embeddings.word_embeddings.weight").isPresent()) {
            return "";
        }
        throw new ModelFormatException(src.origin(), "tensor 'deberta.embeddings.word_embeddings.weight' (or "
                + "'embeddings.word_embeddings.weight') is missing: not a DeBERTa checkpoint");
    }

    private static float[] vec(TensorSource src, String name, int n) {
        return src.get(name, n).toFloats();
    }
}

package dev.rerank4j.model.decoder;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.DecoderKernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.Tensor;
import dev.rerank4j.weights.TensorSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen3's weights under their Hugging Face names, packed once. Of the output layer only the rows the reranker
 * reads are kept ("yes" and "no" of {@code lm_head}, tied to the embeddings or not), or the one-row
 * {@code score} head of a sequence-classification checkpoint.
 *
 * @param head output rows, [outputs][hidden], as float
 */
record DecoderWeights(EmbeddingTable embeddings, List<Layer> layers, float[] finalNorm, float[][] head) {

    /** One decoder layer; q, k, v are packed as one matrix, and so are the gate and up projections. */
    record Layer(float[] inputNorm, PackedMatrix qkv, float[] qNorm, float[] kNorm, PackedMatrix o,
            float[] postNorm, PackedMatrix gateUp, PackedMatrix down) {
    }

    /**
     * Reads the weights a part at a time (the embeddings, then each layer into one reused buffer) from the file
     * rather than mapping it: mapped, the file's pages would stay resident until a full collection, a second copy
     * of the model in resident memory (2.1 GB instead of 1.2 GB at 0.6B). The embedding table stays in the bytes
     * it was read into; of an untied output layer only the kept rows are read (through a mapping, so only their
     * pages are touched).
     *
     * @param outputRows the lm_head rows to keep (ignored for a sequence-classification checkpoint)
     */
    static DecoderWeights load(Path dir, DecoderConfig c, int[] outputRows, DecoderKernels k) {
        int h = c.hiddenSize();
        EmbeddingTable embeddings;
        float[] finalNorm;
        float[][] head;
        try (TensorSource src = SafetensorsSource.open(dir, n -> n.equals("model.embed_tokens.weight")
                || n.equals("model.norm.weight") || n.equals("score.weight"), null)) {
            Tensor embed = src.get("model.embed_tokens.weight", c.vocabSize(), h);
            embeddings = new EmbeddingTable(embed);
            finalNorm = vector(src, "model.norm.weight", h);
            if (c.sequenceClassification()) {
                head = new float[][] {src.get("score.weight", 1, h).toFloats()};
            } else {
                try (TensorSource mapped = SafetensorsSource.open(dir)) {
                    head = head(mapped, c, embed, outputRows);
                }
            }
        }
        List<Layer> layers = new ArrayList<>(c.numLayers());
        ByteBuffer buffer = null;
        for (int i = 0; i < c.numLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            try (SafetensorsSource src = SafetensorsSource.open(dir, n -> n.startsWith(prefix), buffer)) {
                layers.add(layer(src, c, i, k));
                buffer = src.buffer();
            }
        }
        return new DecoderWeights(embeddings, layers, finalNorm, head);
    }

    private static Layer layer(TensorSource src, DecoderConfig c, int i, DecoderKernels k) {
        int h = c.hiddenSize();
        int hd = c.headDim();
        String p = "model.layers." + i + ".";
        return new Layer(
                vector(src, p + "input_layernorm.weight", h),
                k.pack(src.get(p + "self_attn.q_proj.weight", c.qDim(), h),
                        src.get(p + "self_attn.k_proj.weight", c.kvDim(), h),
                        src.get(p + "self_attn.v_proj.weight", c.kvDim(), h)),
                vector(src, p + "self_attn.q_norm.weight", hd),
                vector(src, p + "self_attn.k_norm.weight", hd),
                k.pack(src.get(p + "self_attn.o_proj.weight", h, c.qDim())),
                vector(src, p + "post_attention_layernorm.weight", h),
                k.pack(src.get(p + "mlp.gate_proj.weight", c.intermediateSize(), h),
                        src.get(p + "mlp.up_proj.weight", c.intermediateSize(), h)),
                k.pack(src.get(p + "mlp.down_proj.weight", h, c.intermediateSize())));
    }

    private static float[][] head(TensorSource src, DecoderConfig c, Tensor embed, int[] outputRows) {
        int h = c.hiddenSize();
        Tensor lmHead = src.find("lm_head.weight").isPresent() ? src.get("lm_head.weight", c.vocabSize(), h)
                : null;
        if (lmHead == null && !c.tieWordEmbeddings()) {
            throw new ModelFormatException(src.origin(), "tensor 'lm_head.weight' is missing and "
                    + "tie_word_embeddings is false");
        }
        Tensor out = lmHead != null ? lmHead : embed;
        float[][] rows = new float[outputRows.length][h];
        for (int r = 0; r < outputRows.length; r++) {
            if (outputRows[r] < 0 || outputRows[r] >= c.vocabSize()) {
                throw new ModelFormatException(src.origin(), "output token id " + outputRows[r]
                        + " is outside the vocabulary (" + c.vocabSize() + ")");
            }
            for (int j = 0; j < h; j++) {
                rows[r][j] = out.get(outputRows[r], j);
            }
        }
        return rows;
    }

    private static float[] vector(TensorSource src, String name, int n) {
        return src.get(name, n).toFloats();
    }
}

package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory with Alibaba-NLP/gte-reranker-modernbert-base's shape and settings (vocab 50368, hidden 768,
 * 12 heads, 22 layers, GeGLU 1152, global attention every third layer, window 128, no biases but the
 * classifier's, mean pooling) and random F32 weights, as the released checkpoint stores them (see
 * {@link RandomCheckpoint}). The tokenizer comes from modernbert-mini (GPT-2's BPE at ModernBERT's special ids).
 */
public final class ModernBertBaseModel {
    public static final int VOCAB = 50368;
    public static final int HIDDEN = 768;
    public static final int HEADS = 12;
    public static final int LAYERS = 22;
    public static final int INTERMEDIATE = 1152;

    private ModernBertBaseModel() {
    }

    /** The full model into dir; {@code layers} and {@code globalEvery} override the layer count and alternation. */
    public static Path write(Path dir, Path tokenizerFrom, int layers, int globalEvery, long seed) {
        return RandomCheckpoint.write(dir, config(tokenizerFrom, layers, globalEvery), shapes(layers), "F32",
                name -> name.contains("norm"), tokenizerFrom, seed);
    }

    /** modernbert-mini's config (every non-shape setting is the real model's) with the real shape. */
    private static ObjectNode config(Path mini, int layers, int globalEvery) {
        try {
            ObjectNode c = (ObjectNode) new ObjectMapper().readTree(mini.resolve("config.json").toFile());
            c.put("_name_or_path", "random weights, shape of Alibaba-NLP/gte-reranker-modernbert-base");
            c.put("hidden_size", HIDDEN);
            c.put("num_attention_heads", HEADS);
            c.put("num_hidden_layers", layers);
            c.put("intermediate_size", INTERMEDIATE);
            c.put("global_attn_every_n_layers", globalEvery);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mini.resolve("config.json"), e);
        }
    }

    /** Tensor name to shape, in the released checkpoint's naming. */
    static Map<String, int[]> shapes(int layers) {
        Map<String, int[]> t = new LinkedHashMap<>();
        t.put("model.embeddings.tok_embeddings.weight", new int[] {VOCAB, HIDDEN});
        t.put("model.embeddings.norm.weight", new int[] {HIDDEN});
        for (int i = 0; i < layers; i++) {
            String l = "model.layers." + i + ".";
            if (i > 0) {
                t.put(l + "attn_norm.weight", new int[] {HIDDEN});
            }
            t.put(l + "attn.Wqkv.weight", new int[] {3 * HIDDEN, HIDDEN});
            t.put(l + "attn.Wo.weight", new int[] {HIDDEN, HIDDEN});
            t.put(l + "mlp_norm.weight", new int[] {HIDDEN});
            t.put(l + "mlp.Wi.weight", new int[] {2 * INTERMEDIATE, HIDDEN});
            t.put(l + "mlp.Wo.weight", new int[] {HIDDEN, INTERMEDIATE});
        }
        t.put("model.final_norm.weight", new int[] {HIDDEN});
        t.put("head.dense.weight", new int[] {HIDDEN, HIDDEN});
        t.put("head.norm.weight", new int[] {HIDDEN});
        t.put("classifier.weight", new int[] {1, HIDDEN});
        t.put("classifier.bias", new int[] {1});
        return t;
    }
}

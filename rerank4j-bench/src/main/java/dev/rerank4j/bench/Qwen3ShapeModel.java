package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Qwen3ForCausalLM directory with Qwen3-Reranker-0.6B's shape (hidden 1024, 28 layers, 16 query and 8
 * key-value heads of 128, SwiGLU 3072, tied embeddings) and random BF16 weights, as the released checkpoint
 * stores them; speed does not depend on the values. The tokenizer is borrowed (qwen3-reranker-mini's 50,560
 * tokens); the embedding table has {@code vocab} rows, by default the real model's 151,936, so that memory is
 * measured at the real size (ids past the tokenizer's are never looked up, as in the real model's padding rows).
 */
public final class Qwen3ShapeModel {
    public static final int HIDDEN = 1024;
    public static final int LAYERS = 28;
    public static final int HEADS = 16;
    public static final int KV_HEADS = 8;
    public static final int HEAD_DIM = 128;
    public static final int INTERMEDIATE = 3072;
    public static final int VOCAB = 151_936;

    private Qwen3ShapeModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files into dir. */
    public static Path write(Path dir, Path tokenizerFrom, int vocab, long seed) {
        return RandomCheckpoint.write(dir, config(vocab), shapes(vocab), "BF16", name -> name.endsWith("norm.weight"),
                tokenizerFrom, seed);
    }

    private static ObjectNode config(int vocab) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("Qwen3ForCausalLM");
        c.put("model_type", "qwen3");
        c.put("hidden_size", HIDDEN);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("head_dim", HEAD_DIM);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("vocab_size", vocab);
        c.put("max_position_embeddings", 40960);
        c.put("rope_theta", 1000000);
        c.put("rms_norm_eps", 1e-6);
        c.put("tie_word_embeddings", true);
        c.put("hidden_act", "silu");
        c.put("torch_dtype", "bfloat16");
        return c;
    }

    static Map<String, int[]> shapes(int vocab) {
        Map<String, int[]> t = new LinkedHashMap<>();
        t.put("model.embed_tokens.weight", new int[] {vocab, HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String l = "model.layers." + i + ".";
            t.put(l + "input_layernorm.weight", new int[] {HIDDEN});
            t.put(l + "self_attn.q_proj.weight", new int[] {HEADS * HEAD_DIM, HIDDEN});
            t.put(l + "self_attn.k_proj.weight", new int[] {KV_HEADS * HEAD_DIM, HIDDEN});
            t.put(l + "self_attn.v_proj.weight", new int[] {KV_HEADS * HEAD_DIM, HIDDEN});
            t.put(l + "self_attn.o_proj.weight", new int[] {HIDDEN, HEADS * HEAD_DIM});
            t.put(l + "self_attn.q_norm.weight", new int[] {HEAD_DIM});
            t.put(l + "self_attn.k_norm.weight", new int[] {HEAD_DIM});
            t.put(l + "post_attention_layernorm.weight", new int[] {HIDDEN});
            t.put(l + "mlp.gate_proj.weight", new int[] {INTERMEDIATE, HIDDEN});
            t.put(l + "mlp.up_proj.weight", new int[] {INTERMEDIATE, HIDDEN});
            t.put(l + "mlp.down_proj.weight", new int[] {HIDDEN, INTERMEDIATE});
        }
        t.put("model.norm.weight", new int[] {HIDDEN});
        return t;
    }
}

package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Qwen3ForCausalLM directory with Qwen3-Reranker-0.6B's shape (hidden 1024, 28 layers, 16 query and 8
 * key-value heads of 128, SwiGLU 3072, tied embeddings) and random BF16 weights, as the released checkpoint
 * stores them; speed does not depend on the values. The vocabulary is the tokenizer's (qwen3-reranker-mini's
 * 50,560 rows instead of 151,936: only the embedding table's size differs, not the work per token).
 */
public final class Qwen3ShapeModel {
    public static final int HIDDEN = 1024;
    public static final int LAYERS = 28;
    public static final int HEADS = 16;
    public static final int KV_HEADS = 8;
    public static final int HEAD_DIM = 128;
    public static final int INTERMEDIATE = 3072;
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json"};

    private Qwen3ShapeModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files (with its vocabulary size) into dir. */
    public static Path write(Path dir, Path tokenizerFrom, long seed) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            int vocab = json.readTree(tokenizerFrom.resolve("config.json").toFile()).path("vocab_size").asInt();
            for (String f : TOKENIZER_FILES) {
                Files.copy(tokenizerFrom.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectNode c = json.createObjectNode();
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
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
            writeWeights(dir.resolve("model.safetensors"), vocab, new SplittableRandom(seed));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Qwen3-shape model into " + dir, e);
        }
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

    private static void writeWeights(Path file, int vocab, SplittableRandom random) throws IOException {
        SafetensorsFiles.write(file, shapes(vocab), "BF16", 2, (name, n) -> values(name, n, random));
    }

    /** Norm weights 1; matrices uniform with standard deviation 0.02 (the embeddings 0.15, as the fixture). */
    private static ByteBuffer values(String name, int n, SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        boolean norm = name.endsWith("norm.weight");
        double half = Math.sqrt(3) * (name.contains("embed") ? 0.15 : 0.02);
        for (int i = 0; i < n; i++) {
            float v = norm ? 1f : (float) ((random.nextDouble() * 2 - 1) * half);
            b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        return b.flip();
    }
}

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
import java.util.Random;

/**
 * A model directory with jina-reranker-v1-tiny-en's shape (vocab 61056, hidden 384, 12 heads, 4 layers,
 * GEGLU 1536, ALiBi) and random F16 weights, as released checkpoints store them: speed does not depend on
 * the values, and the real weights cannot be downloaded here. The tokenizer files are copied from another
 * directory (jinabert-mini's byte-level BPE, ids < 50262, inside this vocabulary).
 */
public final class TinyJinaModel {
    public static final int VOCAB = 61056;
    public static final int HIDDEN = 384;
    public static final int HEADS = 12;
    public static final int LAYERS = 4;
    public static final int INTERMEDIATE = 1536;
    public static final int MAX_POSITIONS = 8192;
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json"};

    private TinyJinaModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files into dir (created if needed). */
    public static Path write(Path dir, Path tokenizerFrom, long seed) {
        try {
            Files.createDirectories(dir);
            writeConfig(dir.resolve("config.json"));
            writeWeights(dir.resolve("model.safetensors"), new Random(seed));
            for (String f : TOKENIZER_FILES) {
                Path src = tokenizerFrom.resolve(f);
                if (Files.exists(src)) {
                    Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                } else if (f.equals("tokenizer.json")) {
                    throw new IllegalArgumentException(src + ": no such file (the tiny model borrows its tokenizer)");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tiny model into " + dir, e);
        }
    }

    private static void writeConfig(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add("JinaBertForSequenceClassification");
        c.put("model_type", "bert");
        c.put("position_embedding_type", "alibi");
        c.put("feed_forward_type", "geglu");
        c.put("hidden_act", "gelu");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("num_attention_heads", HEADS);
        c.put("num_hidden_layers", LAYERS);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("type_vocab_size", 2);
        c.put("layer_norm_eps", 1e-12);
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "float16");
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), c);
    }

    /** Tensor name to shape, in the released checkpoint's naming. */
    static Map<String, int[]> shapes() {
        Map<String, int[]> t = new LinkedHashMap<>();
        String e = "bert.embeddings.";
        t.put(e + "word_embeddings.weight", new int[] {VOCAB, HIDDEN});
        t.put(e + "token_type_embeddings.weight", new int[] {2, HIDDEN});
        t.put(e + "LayerNorm.weight", new int[] {HIDDEN});
        t.put(e + "LayerNorm.bias", new int[] {HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String l = "bert.encoder.layer." + i + ".";
            for (String p : new String[] {"query", "key", "value"}) {
                t.put(l + "attention.self." + p + ".weight", new int[] {HIDDEN, HIDDEN});
                t.put(l + "attention.self." + p + ".bias", new int[] {HIDDEN});
            }
            t.put(l + "attention.output.dense.weight", new int[] {HIDDEN, HIDDEN});
            t.put(l + "attention.output.dense.bias", new int[] {HIDDEN});
            t.put(l + "attention.output.LayerNorm.weight", new int[] {HIDDEN});
            t.put(l + "attention.output.LayerNorm.bias", new int[] {HIDDEN});
            t.put(l + "mlp.gated_layers.weight", new int[] {2 * INTERMEDIATE, HIDDEN});
            t.put(l + "mlp.wo.weight", new int[] {HIDDEN, INTERMEDIATE});
            t.put(l + "mlp.wo.bias", new int[] {HIDDEN});
            t.put(l + "mlp.layernorm.weight", new int[] {HIDDEN});
            t.put(l + "mlp.layernorm.bias", new int[] {HIDDEN});
        }
        t.put("bert.pooler.dense.weight", new int[] {HIDDEN, HIDDEN});
        t.put("bert.pooler.dense.bias", new int[] {HIDDEN});
        t.put("classifier.weight", new int[] {1, HIDDEN});
        t.put("classifier.bias", new int[] {1});
        return t;
    }

    private static void writeWeights(Path file, Random random) throws IOException {
        SafetensorsFiles.write(file, shapes(), "F16", 2, (name, n) -> values(name, n, random));
    }

    /** LayerNorm scales 1 and biases 0 as at initialisation; other weights N(0, 0.02²) as BERT initialises them. */
    private static ByteBuffer values(String name, int n, Random random) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        boolean norm = name.contains("LayerNorm") || name.contains("layernorm");
        for (int i = 0; i < n; i++) {
            float v;
            if (norm) {
                v = name.endsWith("weight") ? 1f : 0f;
            } else {
                v = (float) (random.nextGaussian() * 0.02);
            }
            b.putShort(Float.floatToFloat16(v));
        }
        return b.flip();
    }
}

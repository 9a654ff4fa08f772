package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory with jina-reranker-v1-tiny-en's shape (vocab 61056, hidden 384, 12 heads, 4 layers,
 * GEGLU 1536, ALiBi) and random F16 weights, as released checkpoints store them (see {@link RandomCheckpoint}).
 * The tokenizer files are copied from another directory (jinabert-mini's byte-level BPE, ids < 50262, inside
 * this vocabulary).
 */
public final class TinyJinaModel {
    public static final int VOCAB = 61056;
    public static final int HIDDEN = 384;
    public static final int HEADS = 12;
    public static final int LAYERS = 4;
    public static final int INTERMEDIATE = 1536;
    public static final int MAX_POSITIONS = 8192;

    private TinyJinaModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files into dir (created if needed). */
    public static Path write(Path dir, Path tokenizerFrom, long seed) {
        return RandomCheckpoint.write(dir, config(), shapes(), "F16",
                name -> name.contains("LayerNorm") || name.contains("layernorm"), tokenizerFrom, seed);
    }

    private static ObjectNode config() {
        ObjectNode c = RandomCheckpoint.encoderConfig("JinaBertForSequenceClassification", "bert", VOCAB, HIDDEN,
                HEADS, LAYERS, INTERMEDIATE, MAX_POSITIONS);
        c.put("position_embedding_type", "alibi");
        c.put("feed_forward_type", "geglu");
        c.put("type_vocab_size", 2);
        c.put("layer_norm_eps", 1e-12);
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "float16");
        return c;
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
            RandomCheckpoint.attention(t, l, HIDDEN, "query", "key", "value");
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
}

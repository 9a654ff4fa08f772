package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory with mixedbread-ai/mxbai-rerank-xsmall-v1's shape and settings (DeBERTa-v3: vocab 128100,
 * hidden 384, 6 heads of 64, 12 layers, FFN 1536, 256 relative buckets over 512 positions, c2p and p2c) and
 * random F32 weights, as that checkpoint stores them. The tokenizer is borrowed (deberta-v3-mini's Unigram,
 * ids < 5001): the real one has 128k pieces, so the same texts make somewhat more tokens here.
 */
public final class XsmallDebertaModel {
    public static final int VOCAB = 128100;
    public static final int HIDDEN = 384;
    public static final int HEADS = 6;
    public static final int LAYERS = 12;
    public static final int INTERMEDIATE = 1536;
    public static final int BUCKETS = 256;

    private XsmallDebertaModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files into dir (created if needed). */
    public static Path write(Path dir, Path tokenizerFrom, long seed) {
        return RandomCheckpoint.write(dir, config(), shapes(), "F32", name -> name.contains("LayerNorm"),
                tokenizerFrom, seed);
    }

    private static ObjectNode config() {
        ObjectNode c = RandomCheckpoint.encoderConfig("DebertaV2ForSequenceClassification", "deberta-v2", VOCAB,
                HIDDEN, HEADS, LAYERS, INTERMEDIATE, 512);
        c.put("relative_attention", true);
        c.put("position_buckets", BUCKETS);
        c.put("max_relative_positions", -1);
        c.putArray("pos_att_type").add("p2c").add("c2p");
        c.put("share_att_key", true);
        c.put("norm_rel_ebd", "layer_norm");
        c.put("position_biased_input", false);
        c.put("type_vocab_size", 0);
        c.put("layer_norm_eps", 1e-7);
        c.put("pooler_hidden_act", "gelu");
        c.put("pooler_hidden_size", HIDDEN);
        c.putObject("id2label").put("0", "LABEL_0");
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "float32");
        return c;
    }

    /** Tensor name to shape, in the released checkpoint's naming. */
    static Map<String, int[]> shapes() {
        Map<String, int[]> t = new LinkedHashMap<>();
        String e = "deberta.embeddings.";
        t.put(e + "word_embeddings.weight", new int[] {VOCAB, HIDDEN});
        t.put(e + "LayerNorm.weight", new int[] {HIDDEN});
        t.put(e + "LayerNorm.bias", new int[] {HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String l = "deberta.encoder.layer." + i + ".";
            RandomCheckpoint.attention(t, l, HIDDEN, "query_proj", "key_proj", "value_proj");
            RandomCheckpoint.mlp(t, l, HIDDEN, INTERMEDIATE);
        }
        t.put("deberta.encoder.rel_embeddings.weight", new int[] {2 * BUCKETS, HIDDEN});
        t.put("deberta.encoder.LayerNorm.weight", new int[] {HIDDEN});
        t.put("deberta.encoder.LayerNorm.bias", new int[] {HIDDEN});
        t.put("pooler.dense.weight", new int[] {HIDDEN, HIDDEN});
        t.put("pooler.dense.bias", new int[] {HIDDEN});
        t.put("classifier.weight", new int[] {1, HIDDEN});
        t.put("classifier.bias", new int[] {1});
        return t;
    }
}

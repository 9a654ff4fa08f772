package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory with BAAI/bge-reranker-base's shape (XLMRobertaForSequenceClassification: vocab 250002,
 * hidden 768, 12 heads, 12 layers, FFN 3072, 514 positions) and random F16 weights under the real checkpoint's
 * tensor names. The tokenizer files are borrowed (xlmr-mini's Unigram, ids < 6002, inside this vocabulary).
 */
public final class BgeRerankerBaseModel {
    public static final int VOCAB = 250002;
    public static final int HIDDEN = 768;
    public static final int HEADS = 12;
    public static final int LAYERS = 12;
    public static final int INTERMEDIATE = 3072;
    public static final int MAX_POSITIONS = 514;

    private BgeRerankerBaseModel() {
    }

    /** Writes config.json, model.safetensors and the tokenizer files into dir (created if needed). */
    public static Path write(Path dir, Path tokenizerFrom, long seed) {
        return RandomCheckpoint.write(dir, config(), shapes(), "F16",
                name -> name.contains("LayerNorm") || name.contains("layernorm"), tokenizerFrom, seed);
    }

    private static ObjectNode config() {
        ObjectNode c = RandomCheckpoint.encoderConfig("XLMRobertaForSequenceClassification", "xlm-roberta", VOCAB,
                HIDDEN, HEADS, LAYERS, INTERMEDIATE, MAX_POSITIONS);
        c.put("type_vocab_size", 1);
        c.put("layer_norm_eps", 1e-5);
        c.put("pad_token_id", 1);
        c.putObject("id2label").put("0", "LABEL_0");
        return c;
    }

    /** Tensor name to shape, in the released checkpoint's naming. */
    static Map<String, int[]> shapes() {
        Map<String, int[]> t = new LinkedHashMap<>();
        RandomCheckpoint.bertEncoder(t, "roberta.", VOCAB, MAX_POSITIONS, 1, HIDDEN, LAYERS, INTERMEDIATE);
        t.put("classifier.dense.weight", new int[] {HIDDEN, HIDDEN});
        t.put("classifier.dense.bias", new int[] {HIDDEN});
        t.put("classifier.out_proj.weight", new int[] {1, HIDDEN});
        t.put("classifier.out_proj.bias", new int[] {1});
        return t;
    }
}

package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory with cross-encoder/ms-marco-MiniLM-L-6-v2's shape (BertForSequenceClassification: vocab 30522,
 * hidden 384, 12 heads, 6 layers, GELU MLP 1536, 512 absolute positions, pooler and one-logit classifier) and random
 * F32 weights (see {@link RandomCheckpoint}); config and WordPiece tokenizer from the bundled all-MiniLM-L6-v2, which
 * has the same encoder.
 */
public final class MiniLmCrossEncoderModel {
    private static final int HIDDEN = 384;
    private static final int LAYERS = 6;
    private static final int INTERMEDIATE = 1536;

    private MiniLmCrossEncoderModel() {
    }

    /** Writes the model into dir, borrowing config.json and the tokenizer files from the bundled MiniLM directory. */
    public static Path write(Path dir, Path bundledMiniLm, long seed) {
        ObjectNode config;
        try {
            config = (ObjectNode) new ObjectMapper().readTree(bundledMiniLm.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.putArray("architectures").add("BertForSequenceClassification");
        config.put("num_labels", 1);
        return RandomCheckpoint.write(dir, config, shapes(config.get("vocab_size").asInt(),
                config.get("max_position_embeddings").asInt()), "F32", name -> name.contains("LayerNorm"),
                bundledMiniLm, seed);
    }

    private static Map<String, int[]> shapes(int vocab, int positions) {
        Map<String, int[]> t = new LinkedHashMap<>();
        RandomCheckpoint.bertEncoder(t, "bert.", vocab, positions, 2, HIDDEN, LAYERS, INTERMEDIATE);
        t.put("bert.pooler.dense.weight", new int[] {HIDDEN, HIDDEN});
        t.put("bert.pooler.dense.bias", new int[] {HIDDEN});
        t.put("classifier.weight", new int[] {1, HIDDEN});
        t.put("classifier.bias", new int[] {1});
        return t;
    }
}

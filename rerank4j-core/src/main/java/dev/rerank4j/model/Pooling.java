package dev.rerank4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a bi-encoder turns token states into one vector, read from the sentence-transformers files
 * ({@code modules.json}, {@code 1_Pooling/config.json}, {@code sentence_bert_config.json}).
 *
 * @param maxSeqLength the sentence-transformers input limit, or -1 when the model does not set one
 */
public record Pooling(Mode mode, boolean normalize, int maxSeqLength) {

    public enum Mode { MEAN, CLS, MAX }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Pooling read(Path dir) {
        Path modules = dir.resolve("modules.json");
        Mode mode = Mode.MEAN;
        boolean normalize = false;
        if (Files.exists(modules)) {
            JsonNode list = readJson(modules);
            for (JsonNode m : list) {
                String type = m.path("type").asText("");
                if (type.endsWith(".Pooling")) {
                    mode = poolingMode(dir.resolve(m.path("path").asText("1_Pooling")).resolve("config.json"));
                } else if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
            }
        }
        int maxSeq = -1;
        Path st = dir.resolve("sentence_bert_config.json");
        if (Files.exists(st)) {
            maxSeq = readJson(st).path("max_seq_length").asInt(-1);
        }
        return new Pooling(mode, normalize, maxSeq);
    }

    private static Mode poolingMode(Path config) {
        if (!Files.exists(config)) {
            return Mode.MEAN;
        }
        JsonNode c = readJson(config);
        if (c.path("pooling_mode_cls_token").asBoolean(false)) {
            return Mode.CLS;
        }
        if (c.path("pooling_mode_max_tokens").asBoolean(false)) {
            return Mode.MAX;
        }
        if (c.path("pooling_mode_mean_tokens").asBoolean(true)) {
            return Mode.MEAN;
        }
        throw new ModelFormatException(config, "unsupported pooling mode; supported: mean, cls, max tokens");
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Pools the rows [start, start + len) of hidden (width h) into out[outOff .. outOff + h). */
    public void pool(float[] hidden, int start, int len, int h, float[] out, int outOff) {
        switch (mode) {
            case CLS -> System.arraycopy(hidden, start * h, out, outOff, h);
            case MEAN -> {
                for (int c = 0; c < h; c++) {
                    double s = 0;
                    for (int i = 0; i < len; i++) {
                        s += hidden[(start + i) * h + c];
                    }
                    out[outOff + c] = (float) (s / len);
                }
            }
            case MAX -> {
                for (int c = 0; c < h; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < len; i++) {
                        m = Math.max(m, hidden[(start + i) * h + c]);
                    }
                    out[outOff + c] = m;
                }
            }
        }
        if (normalize) {
            double n = 0;
            for (int c = 0; c < h; c++) {
                n += (double) out[outOff + c] * out[outOff + c];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(n), 1e-12));
            for (int c = 0; c < h; c++) {
                out[outOff + c] *= inv;
            }
        }
    }
}

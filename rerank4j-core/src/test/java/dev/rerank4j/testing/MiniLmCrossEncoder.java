package dev.rerank4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import dev.rerank4j.weights.TensorSource;
import dev.rerank4j.weights.onnx.OnnxWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A BertForSequenceClassification checkpoint (ms-marco-MiniLM's architecture) built from the real
 * all-MiniLM-L6-v2 encoder weights of the bundled artifact plus a seeded pooler and classifier, written as
 * safetensors under {@code bert.} names.
 *
 * @param bundled the bundled MiniLM directory (its ONNX file is the reference)
 * @param poolerW [384, 384] row-major
 */
public record MiniLmCrossEncoder(Path dir, Path bundled, float[] poolerW, float[] poolerB, float[] clsW,
        float[] clsB) {
    public static final int HIDDEN = 384;

    /** Writes the checkpoint into {@code tmp/bert-cross-encoder}, the bundled model into {@code tmp/cache}. */
    public static MiniLmCrossEncoder write(Path tmp) throws IOException {
        Path bundled = new BundledMiniLm(tmp.resolve("cache")).resolve().directory();
        Path dir = Files.createDirectories(tmp.resolve("bert-cross-encoder"));
        Files.copy(bundled.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(bundled.resolve("config.json").toFile());
        config.putArray("architectures").add("BertForSequenceClassification");
        config.put("num_labels", 1);
        Files.writeString(dir.resolve("config.json"), config.toString());

        int h = HIDDEN;
        Random rnd = new Random(11);
        float[] poolerW = gaussian(rnd, h * h, 0.05f);
        float[] poolerB = gaussian(rnd, h, 0.05f);
        float[] clsW = gaussian(rnd, h, 0.2f);
        float[] clsB = {0.1f};
        SafetensorsWriter w = new SafetensorsWriter();
        try (TensorSource onnx = OnnxWeights.open(bundled.resolve("onnx/model.onnx"))) {
            for (String name : onnx.names()) {
                if (name.startsWith("embeddings.") || name.startsWith("encoder.")) {
                    w.put("bert." + name, Entry.f32(onnx.get(name).shape(), onnx.get(name).toFloats()));
                }
            }
        }
        w.put("bert.pooler.dense.weight", Entry.f32(new int[] {h, h}, poolerW));
        w.put("bert.pooler.dense.bias", Entry.f32(new int[] {h}, poolerB));
        w.put("classifier.weight", Entry.f32(new int[] {1, h}, clsW));
        w.put("classifier.bias", Entry.f32(new int[] {1}, clsB));
        w.write(dir.resolve("model.safetensors"));
        return new MiniLmCrossEncoder(dir, bundled, poolerW, poolerB, clsW, clsB);
    }

    private static float[] gaussian(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }
}

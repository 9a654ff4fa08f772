package dev.rerank4j.model;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.TensorSource;
import dev.rerank4j.weights.onnx.OnnxWeights;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory in Hugging Face layout, loaded: its config, what kind of model it is, and the encoder.
 *
 * @param pooling how a bi-encoder pools token states; null for cross-encoders
 */
public record Model(Path directory, ModelConfig config, Architecture architecture, Encoder encoder, Pooling pooling) {

    public static Model load(Path dir, Kernels kernels) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, Files.exists(dir) ? "not a directory" : "no such model directory");
        }
        ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
        try (TensorSource src = openWeights(dir)) {
            Architecture arch = detect(cfg, src, dir);
            EncoderWeights weights = EncoderWeights.load(src, cfg, arch.isCrossEncoder(), kernels);
            Pooling pooling = arch.isCrossEncoder() ? null : Pooling.read(dir);
            return new Model(dir, cfg, arch, new Encoder(cfg, weights, kernels), pooling);
        }
    }

    static TensorSource openWeights(Path dir) {
        if (Files.exists(dir.resolve("model.safetensors")) || Files.exists(dir.resolve("model.safetensors.index.json"))) {
            return SafetensorsSource.open(dir);
        }
        Path onnx = dir.resolve("onnx").resolve("model.onnx");
        if (Files.exists(onnx)) {
            return OnnxWeights.open(onnx);
        }
        throw new ModelFormatException(dir, "no weights found: expected model.safetensors, "
                + "model.safetensors.index.json or onnx/model.onnx");
    }

    private static Architecture detect(ModelConfig cfg, TensorSource src, Path dir) {
        boolean hasClassifier = src.find("classifier.weight").isPresent();
        String arch = cfg.architectureName();
        boolean classification = arch.endsWith("ForSequenceClassification") || hasClassifier;
        if (cfg.alibi()) {
            if (!classification) {
                throw new ModelFormatException(dir.resolve("config.json"), "JinaBERT embedding models ('" + arch
                        + "') are not supported yet; supported: JinaBertForSequenceClassification");
            }
            return Architecture.JINA_BERT_CROSS_ENCODER;
        }
        if (classification) {
            return Architecture.BERT_CROSS_ENCODER;
        }
        if (arch.isEmpty() || arch.equals("BertModel") || Files.exists(dir.resolve("modules.json"))) {
            return Architecture.BERT_BI_ENCODER;
        }
        throw new ModelFormatException(dir.resolve("config.json"), "unsupported architecture '" + arch
                + "'; supported: JinaBertForSequenceClassification, BertForSequenceClassification, BertModel");
    }
}

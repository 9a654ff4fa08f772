package dev.rerank4j.cli;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command that loads a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "M",
            description = "Model directory in Hugging Face layout.")
    String model;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    Engine load() {
        EngineOptions options = EngineOptions.defaults();
        if (threads != null) {
            options = options.withThreads(threads);
        }
        return Engine.load(Path.of(model), options);
    }
}

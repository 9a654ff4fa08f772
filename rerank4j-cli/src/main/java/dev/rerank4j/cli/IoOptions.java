package dev.rerank4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The JSON Lines contract: {@code --input FILE} ({@code -} for stdin), {@code --output FILE} (default stdout). */
final class IoOptions {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "JSON Lines input ('-' reads stdin).")
    String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "JSON Lines output (default: stdout).")
    Path output;

    JsonLines open() throws java.io.IOException {
        return new JsonLines(input, output);
    }
}

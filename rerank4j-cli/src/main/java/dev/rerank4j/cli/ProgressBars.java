package dev.rerank4j.cli;

import dev.rerank4j.Terminal;
import dev.rerank4j.hub.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Draws Hub downloads of large files as progress bars on stderr, and nothing when nobody is watching. */
final class ProgressBars implements ProgressListener {
    /** Config and tokenizer files come and go too fast to be worth a bar. */
    private static final long MIN_BYTES = 1 << 20;

    private final PrintStream out;

    ProgressBars(PrintStream out) {
        this.out = out;
    }

    /**
     * Bars on stderr when stderr is a terminal (whatever stdout is), silence when it goes to a file or a pipe, or
     * when HF_HUB_DISABLE_PROGRESS_BARS is set as for Python's huggingface_hub.
     */
    static ProgressListener forStderr() {
        String disabled = System.getenv("HF_HUB_DISABLE_PROGRESS_BARS");
        boolean off = disabled != null
                && List.of("1", "ON", "YES", "TRUE").contains(disabled.strip().toUpperCase(Locale.ROOT));
        return Terminal.stderrIsTerminal() && !off ? new ProgressBars(System.err) : ProgressListener.NONE;
    }

    @Override
    public Transfer start(String file, long totalBytes, long alreadyDone) {
        if (totalBytes < MIN_BYTES) {
            return Transfer.NONE;
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(file)
                .setInitialMax(totalBytes)
                .startsFrom(alreadyDone, Duration.ZERO)
                .setUnit("MiB", 1 << 20)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
        return new Transfer() {
            @Override
            public void advance(long bytes) {
                bar.stepBy(bytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}

package dev.rerank4j.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of a long step: a bar with ETA on stderr when stderr is a terminal, otherwise nothing. */
public interface Progress {

    /** One running task; close it when the task is done. */
    interface Task extends AutoCloseable {
        void step(long n);

        @Override
        void close();
    }

    Task start(String name, long total);

    /** Reports nothing: for tests, libraries and redirected stderr. */
    Progress QUIET = (name, total) -> new Task() {
        @Override
        public void step(long n) {
        }

        @Override
        public void close() {
        }
    };

    /** A bar on stderr if it is a terminal, else {@link #QUIET}. */
    static Progress onStderr() {
        if (!stderrIsTerminal()) {
            return QUIET;
        }
        return (name, total) -> {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed().build();
            return new Task() {
                @Override
                public void step(long n) {
                    bar.stepBy(n);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }

    /**
     * Whether file descriptor 2 is a terminal. System.console() cannot tell: it looks at stdin and stdout, and the
     * usual way to read the final JSON line is to pipe stdout, with stderr still on the terminal.
     */
    private static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}

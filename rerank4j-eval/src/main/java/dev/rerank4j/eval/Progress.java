package dev.rerank4j.eval;

import dev.rerank4j.Terminal;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long step: a bar with ETA on stderr when stderr is a terminal, otherwise nothing. Tasks may nest
 * (a suite's bar above the current dataset's): each open task keeps its own line.
 */
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
        if (!Terminal.stderrIsTerminal()) {
            return QUIET;
        }
        return (name, total) -> {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new InteractiveConsoleProgressBarConsumer(System.err))
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
}

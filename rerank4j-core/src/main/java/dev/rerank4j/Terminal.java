package dev.rerank4j;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether anyone watches stderr: progress bars are drawn only then. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * Whether file descriptor 2 is a terminal. {@code System.console()} alone cannot tell: it looks at stdin and
     * stdout, and the usual way to keep a command's JSON output is to pipe stdout with stderr still on the
     * terminal. Where there is no {@code /proc} (macOS, Windows) the console is the best sign left: up to Java 21
     * a console exists only for a terminal; from 22 on it may exist anyway and {@code isTerminal()} tells.
     */
    public static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                return false;
            }
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}

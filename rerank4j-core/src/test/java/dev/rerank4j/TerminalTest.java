package dev.rerank4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void aPipedStderrIsNoTerminal() {
        // Surefire runs the tests in a forked JVM whose stderr is a pipe back to Maven.
        assertThat(Terminal.stderrIsTerminal()).isFalse();
    }

    @Test
    void stderrOnAPseudoTerminalIsOneEvenWithStdoutPiped() throws Exception {
        // script(1) gives the child a pseudo-terminal; the child then redirects its own stdout to a pipe (cat).
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String child = quote(java) + " -cp " + quote(System.getProperty("java.class.path")) + " "
                + quote(Probe.class.getName()) + " | cat";
        Process p = new ProcessBuilder(List.of("script", "-qec", child, "/dev/null")).redirectErrorStream(true).start();
        String out = read(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.strip()).endsWith("stderr is a terminal: true");
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Run in the child process. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("stderr is a terminal: " + Terminal.stderrIsTerminal());
        }
    }
}

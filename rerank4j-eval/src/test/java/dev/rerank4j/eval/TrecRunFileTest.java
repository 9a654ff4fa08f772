package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecRunFileTest {
    @TempDir
    Path dir;

    @Test
    void writesRanksInTrecOrderAndReadsBackByScore() throws IOException {
        Run run = new Run(Map.of("q1", List.of(new Hit("a", 0.5), new Hit("b", 2.0), new Hit("c", 0.5))));
        Path file = dir.resolve("sub/run.trec");
        TrecRunFile.write(file, run, "test");
        assertThat(Files.readAllLines(file)).containsExactly("q1 Q0 b 1 2.0 test", "q1 Q0 c 2 0.5 test",
                "q1 Q0 a 3 0.5 test");
        assertThat(TrecRunFile.read(file)).isEqualTo(run);
    }

    @Test
    void rankColumnIsIgnoredAsInTrecEval() throws IOException {
        Path file = dir.resolve("run.trec");
        Files.writeString(file, "q1 Q0 x 1 1.5 sys\nq1\tQ0\ty\t2\t3.25\tsys\n\n");
        assertThat(TrecRunFile.read(file).of("q1")).containsExactly(new Hit("y", 3.25), new Hit("x", 1.5));
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        Path file = dir.resolve("run.trec");
        Files.writeString(file, "q1 Q0 x 1 1.5 sys\nq1 Q0 y 2 sys\n");
        assertThatThrownBy(() -> TrecRunFile.read(file))
                .hasMessage(file + ":2: expected 6 columns (query-id Q0 doc-id rank score tag), got 5");
        Files.writeString(file, "q1 Q0 x 1 one sys\n");
        assertThatThrownBy(() -> TrecRunFile.read(file)).hasMessage(file + ":1: score 'one' is not a number");
    }
}

package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Lucene index in a temporary directory, scores checked against BM25 worked out by hand. */
class Bm25IndexTest {
    @TempDir
    Path dir;

    @Test
    void scoresAreBm25OverTheAnalysedTitleAndText() throws IOException {
        try (Bm25Index index = Bm25Index.build(TinyBeir.write(dir), Bm25Index.Params.ANSERINI, Progress.QUIET)) {
            // After EnglishAnalyzer: d1 = cat cat sat mat (4 terms), d2 = dog dog bark cat (4), d3 = bird sing morn
            // (3); average length 11/3. "cats" stems to "cat", in 2 of 3 documents.
            double idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
            double norm = 0.9 * (1 - 0.4 + 0.4 * 4 / (11 / 3.0));
            List<Hit> hits = index.search("q1", "cats", 10);
            assertThat(hits).extracting(Hit::docId).containsExactly("d1", "d2");
            assertThat(hits.get(0).score()).isCloseTo(idf * 2 / (2 + norm), within(1e-5));
            assertThat(hits.get(1).score()).isCloseTo(idf * 1 / (1 + norm), within(1e-5));
            assertThat(index.search("q2", "the morning", 10)).extracting(Hit::docId).containsExactly("d3");
            assertThat(index.search("q", "the of and", 10)).isEmpty();
            assertThat(index.name()).isEqualTo("bm25(k1=0.9,b=0.4)");
        }
    }

    @Test
    void retrieveCutsAtKAndTheTemporaryIndexIsDeletedOnClose() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var s = Files.list(tmp)) {
            before = s.filter(p -> p.getFileName().toString().startsWith("rerank4j-bm25-")).count();
        }
        try (Bm25Index index = Bm25Index.build(TinyBeir.write(dir), new Bm25Index.Params(1.2f, 0.75f),
                Progress.QUIET)) {
            Run run = index.retrieve(Map.of("q1", "cat", "q3", "dog cat"), 1, Progress.QUIET);
            assertThat(run.of("q1")).extracting(Hit::docId).containsExactly("d1");
            assertThat(run.of("q3")).extracting(Hit::docId).containsExactly("d2");
        }
        try (var s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("rerank4j-bm25-")).count())
                    .isEqualTo(before);
        }
    }
}

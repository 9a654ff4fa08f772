package dev.rerank4j.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A three-document BEIR dataset written into a test's temporary directory. */
final class TinyBeir {
    static final Path JINABERT_MINI = Path.of("../testdata/models/jinabert-mini");

    private TinyBeir() {
    }

    static BeirDataset write(Path dir) throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "Cats", "text": "The cat sat on the mat."}
                {"_id": "d2", "title": "Dogs", "text": "A dog barked at the cat."}
                {"_id": "d3", "title": "", "text": "Birds sing in the morning."}
                """);
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "cats"}
                {"_id": "q2", "text": "morning birds"}
                {"_id": "q3", "text": "dog"}
                {"_id": "q4", "text": "unjudged query"}
                """);
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n"
                + "q1\td1\t1\nq1\td2\t0\nq2\td3\t2\nq3\td2\t1\nq3\td1\t1\nq4\td1\t0\n");
        return new BeirDataset(dir);
    }
}

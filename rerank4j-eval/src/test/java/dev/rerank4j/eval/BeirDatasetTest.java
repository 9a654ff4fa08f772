package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.RerankException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {
    @TempDir
    Path dir;

    private BeirDataset write(String corpus, String queries, String qrels) throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), corpus);
        Files.writeString(dir.resolve("queries.jsonl"), queries);
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), qrels);
        return new BeirDataset(dir);
    }

    @Test
    void readsCorpusQueriesAndQrels() throws IOException {
        BeirDataset ds = write("""
                {"_id": "d1", "title": "Title one", "text": "Text one."}

                {"_id": 2, "text": "No title here."}
                """, """
                {"_id": "q1", "text": "first query"}
                {"_id": "q2", "text": "second query", "metadata": {}}
                """, "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\t2\t0\nq2\t2\t1\n");
        List<Document> docs = new ArrayList<>();
        ds.forEachDocument(docs::add);
        assertThat(docs).containsExactly(new Document("d1", "Title one", "Text one."),
                new Document("2", "", "No title here."));
        assertThat(docs.get(0).contents()).isEqualTo("Title one Text one.");
        assertThat(docs.get(1).contents()).isEqualTo("No title here.");
        assertThat(ds.countDocuments()).isEqualTo(2);
        assertThat(ds.queries()).containsExactly(Map.entry("q1", "first query"), Map.entry("q2", "second query"));
        Qrels qrels = ds.qrels("test");
        assertThat(qrels.of("q1")).containsExactlyInAnyOrderEntriesOf(Map.of("d1", 2, "2", 0));
        assertThat(qrels.hasRelevant("q2")).isTrue();
        assertThat(qrels.hasRelevant("q3")).isFalse();
    }

    @Test
    void malformedCorpusLinesNameFileAndLine() throws IOException {
        BeirDataset ds = write("{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"_id\": \"d2\", \"text\": \"cut\n", "", "");
        assertThatThrownBy(() -> ds.forEachDocument(d -> { }))
                .isInstanceOf(RerankException.class)
                .hasMessageStartingWith(dir.resolve("corpus.jsonl") + ":2: not valid JSON");
    }

    @Test
    void missingFieldsAreReported() throws IOException {
        BeirDataset noId = write("{\"text\": \"no id\"}\n", "{\"_id\": \"q1\"}\n", "");
        assertThatThrownBy(() -> noId.forEachDocument(d -> { }))
                .hasMessage(dir.resolve("corpus.jsonl") + ":1: missing or empty '_id'");
        assertThatThrownBy(noId::queries).hasMessage(dir.resolve("queries.jsonl") + ":1: missing field 'text'");
        BeirDataset badType = write("{\"_id\": \"d1\", \"text\": 5}\n", "[1]\n", "");
        assertThatThrownBy(() -> badType.forEachDocument(d -> { }))
                .hasMessage(dir.resolve("corpus.jsonl") + ":1: field 'text' must be a string");
        assertThatThrownBy(badType::queries).hasMessage(dir.resolve("queries.jsonl") + ":1: expected a JSON object");
    }

    @Test
    void duplicateQueryIdsAreRejected() throws IOException {
        BeirDataset ds = write("", "{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q1\", \"text\": \"b\"}\n", "");
        assertThatThrownBy(ds::queries).hasMessage(dir.resolve("queries.jsonl") + ":2: duplicate query id 'q1'");
    }

    @Test
    void malformedQrelsLinesNameFileAndLine() throws IOException {
        Path qrels = dir.resolve("qrels/test.tsv");
        BeirDataset columns = write("", "", "query-id\tcorpus-id\tscore\nq1 d1 1\n");
        assertThatThrownBy(() -> columns.qrels("test")).isInstanceOf(RerankException.class)
                .hasMessage(qrels + ":2: expected 3 tab-separated columns (query-id, corpus-id, score), got 1");
        BeirDataset score = write("", "", "q1\td1\t1\nq1\td2\thigh\n");
        assertThatThrownBy(() -> score.qrels("test")).hasMessage(qrels + ":2: score 'high' is not an integer");
    }

    @Test
    void missingFilesSayWhatADatasetHolds() {
        BeirDataset ds = new BeirDataset(dir);
        assertThatThrownBy(() -> ds.qrels("dev"))
                .isInstanceOf(RerankException.class)
                .hasMessageStartingWith(dir.resolve("qrels/dev.tsv") + ": no such file")
                .hasMessageContaining("corpus.jsonl, queries.jsonl and qrels/<split>.tsv");
    }
}

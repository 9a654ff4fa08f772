package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * BM25 over a Lucene index of the corpus, in Anserini's "flat" setup: one field holding title and text, Lucene's
 * EnglishAnalyzer (possessives, stop words, Porter stemming), and the query as a bag of its analysed terms. The
 * index lives in a temporary directory deleted on close.
 */
public final class Bm25Index implements FirstStage {
    static final String ID = "id";
    static final String CONTENTS = "contents";

    /** Anserini's defaults for BEIR. */
    public record Params(float k1, float b) {
        public static final Params ANSERINI = new Params(0.9f, 0.4f);
    }

    private final Path dir;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final Params params;

    private Bm25Index(Path dir, Directory directory, Analyzer analyzer, Params params) throws IOException {
        this.dir = dir;
        this.directory = directory;
        this.analyzer = analyzer;
        this.params = params;
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity(params.k1(), params.b()));
    }

    /** Indexes every document of the dataset. */
    public static Bm25Index build(Dataset dataset, Params params, Progress progress) {
        Path dir = null;
        try (Progress.Task task = progress.start("BM25 index", dataset.countDocuments())) {
            dir = Files.createTempDirectory("rerank4j-bm25-");
            Directory directory = FSDirectory.open(dir);
            Analyzer analyzer = new EnglishAnalyzer();
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setSimilarity(new BM25Similarity(params.k1(), params.b()))
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                dataset.forEachDocument(d -> {
                    addDocument(writer, d);
                    task.step(1);
                });
            }
            return new Bm25Index(dir, directory, analyzer, params);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("BM25 index in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void addDocument(IndexWriter writer, Document d) {
        org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new TextField(CONTENTS, d.contents(), Field.Store.NO));
        try {
            writer.addDocument(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("indexing document '" + d.id() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "bm25(k1=" + params.k1() + ",b=" + params.b() + ")";
    }

    @Override
    public Run retrieve(Map<String, String> queries, int k, Progress progress) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        try (Progress.Task task = progress.start("BM25 search", queries.size())) {
            for (var q : queries.entrySet()) {
                out.put(q.getKey(), search(q.getKey(), q.getValue(), k));
                task.step(1);
            }
        }
        return new Run(out);
    }

    /** The top k documents for one query; none when the query has no terms left after analysis. */
    public List<Hit> search(String queryId, String text, int k) {
        Query query = new QueryBuilder(analyzer).createBooleanQuery(CONTENTS, text);
        if (query == null) {
            return List.of();
        }
        try {
            ScoreDoc[] docs = searcher.search(query, k).scoreDocs;
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(docs.length);
            for (ScoreDoc sd : docs) {
                hits.add(new Hit(stored.document(sd.doc, Set.of(ID)).get(ID), sd.score));
            }
            return hits;
        } catch (IndexSearcher.TooManyClauses e) {
            throw new RerankException("query '" + queryId + "': more terms than Lucene's clause limit ("
                    + IndexSearcher.getMaxClauseCount() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("BM25 search for query '" + queryId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
            analyzer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary index is harmless; the evaluation's result stands.
        }
    }
}

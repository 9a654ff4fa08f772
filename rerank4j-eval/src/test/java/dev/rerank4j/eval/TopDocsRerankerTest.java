package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.RerankException;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.Test;

/** A real in-memory Lucene index, searched with BM25, its hits reranked by the random-weight JinaBERT. */
class TopDocsRerankerTest {
    private static final List<String> BODIES = List.of("Owls hunt at night and sleep by day.",
            "Night trains cross the country.", "Bats sleep by day in caves and fly at night.",
            "A day at the beach.", "Nothing relevant here.");

    @Test
    void hitsComeBackOrderedByTheRerankersScore() throws Exception {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); EnglishAnalyzer analyzer = new EnglishAnalyzer();
                Reranker reranker = Reranker.load(TinyBeir.JINABERT_MINI, EngineOptions.defaults().withThreads(1))) {
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                for (String body : BODIES) {
                    Document d = new Document();
                    d.add(new TextField("body", body, Field.Store.YES));
                    w.addDocument(d);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                String query = "animals that sleep by day and wake at night";
                TopDocs bm25 = searcher.search(new QueryBuilder(analyzer).createBooleanQuery("body", query), 10);
                assertThat(bm25.scoreDocs.length).isEqualTo(4);
                TopDocs reranked = TopDocsReranker.rerank(reranker, searcher, bm25, query, "body",
                        ScoreOptions.defaults());

                List<TextPair> pairs = new ArrayList<>();
                for (ScoreDoc sd : reranked.scoreDocs) {
                    pairs.add(new TextPair(query, BODIES.get(sd.doc)));
                }
                List<PairScore> expected = reranker.score(pairs);
                assertThat(reranked.totalHits).isEqualTo(bm25.totalHits);
                assertThat(reranked.scoreDocs).extracting(sd -> sd.doc).containsExactlyInAnyOrderElementsOf(
                        List.of(bm25.scoreDocs).stream().map(sd -> sd.doc).toList());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(reranked.scoreDocs[i].score).isEqualTo((float) expected.get(i).score());
                    if (i > 0) {
                        assertThat(expected.get(i).logit()).isLessThanOrEqualTo(expected.get(i - 1).logit());
                    }
                }
                assertThatThrownBy(() -> TopDocsReranker.rerank(reranker, searcher, bm25, query, "title",
                        ScoreOptions.defaults())).isInstanceOf(RerankException.class)
                        .hasMessageEndingWith("has no stored field 'title' to rerank by");
            }
        }
    }
}

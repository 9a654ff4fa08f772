package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Reranks a Lucene search result: each hit's stored field is read and scored against the query by a
 * {@link Reranker}, and the hits come back best first with the reranker's score (sigmoid of the logit for
 * cross-encoders, cosine for bi-encoders) in place of the Lucene score.
 *
 * <pre>{@code
 * TopDocs bm25 = searcher.search(query, 100);
 * TopDocs reranked = TopDocsReranker.rerank(reranker, searcher, bm25, "What is BM25?", "body",
 *         ScoreOptions.defaults());
 * }</pre>
 */
public final class TopDocsReranker {
    private TopDocsReranker() {
    }

    /** The same hits reordered by the reranker; ties keep Lucene's order. */
    public static TopDocs rerank(Reranker reranker, IndexSearcher searcher, TopDocs hits, String query, String field,
            ScoreOptions options) {
        ScoreDoc[] docs = hits.scoreDocs;
        List<TextPair> pairs = new ArrayList<>(docs.length);
        try {
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc sd : docs) {
                String text = stored.document(sd.doc, Set.of(field)).get(field);
                if (text == null) {
                    throw new RerankException("Lucene document " + sd.doc + " has no stored field '" + field
                            + "' to rerank by");
                }
                pairs.add(new TextPair(query, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading stored field '" + field + "': " + e.getMessage(), e);
        }
        List<PairScore> scores = reranker.score(pairs, options);
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores.get(i).logit()).reversed());
        ScoreDoc[] out = new ScoreDoc[docs.length];
        for (int r = 0; r < order.length; r++) {
            ScoreDoc original = docs[order[r]];
            out[r] = new ScoreDoc(original.doc, (float) scores.get(order[r]).score(), original.shardIndex);
        }
        return new TopDocs(hits.totalHits, out);
    }
}

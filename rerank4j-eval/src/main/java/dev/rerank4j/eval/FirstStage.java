package dev.rerank4j.eval;

import java.util.Map;

/** Retrieves candidates for the reranker: BM25, a dense bi-encoder, or a precomputed run. */
public interface FirstStage extends AutoCloseable {

    /** How reports name this stage, e.g. {@code bm25(k1=0.9,b=0.4)}. */
    String name();

    /** The top k documents of every query (query id to text). */
    Run retrieve(Map<String, String> queries, int k, Progress progress);

    @Override
    void close();
}

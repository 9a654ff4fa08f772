package dev.rerank4j.eval;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A retrieval test collection: a corpus streamed document by document, queries, and relevance judgements per
 * split. A BEIR-layout directory ({@link BeirDataset}), a dataset repo of the Hub ({@link HubBeirDataset}) or one
 * task of LoCo ({@link LocoDataset}).
 */
public interface Dataset {

    /** Short name for tables and report files, e.g. {@code scifact}. */
    String name();

    /** Where the dataset comes from, for reports: a directory, or a Hub id at its commit. */
    String location();

    /** Where the documents are read from, for error messages. */
    String corpusName();

    /** Where the queries are read from, for error messages. */
    String queriesName();

    /** Where the judgements of {@code split} are read from, for error messages. */
    String qrelsName(String split);

    /** Calls the action for every corpus document, in corpus order. */
    void forEachDocument(Consumer<Document> action);

    /** How many documents {@link #forEachDocument} will give: the total of progress bars. */
    long countDocuments();

    /** Query id to text, in corpus order. */
    Map<String, String> queries();

    Qrels qrels(String split);

    /** The first-stage ranking the dataset itself ships (NanoBEIR's BM25 top-k), if any. */
    default Optional<RunFileStage> shippedRanking() {
        return Optional.empty();
    }
}

package dev.rerank4j.eval;

import java.util.Comparator;

/** A retrieved document and its score. */
public record Hit(String docId, double score) {

    /**
     * trec_eval's order: score descending, ties by document id descending (byte order), so that an evaluation does
     * not depend on the order a system happened to list tied documents in.
     */
    public static final Comparator<Hit> TREC_ORDER = Comparator.comparingDouble(Hit::score).reversed()
            .thenComparing(Hit::docId, Comparator.reverseOrder());
}

package dev.rerank4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A ranking per query, each list in trec_eval order (see {@link Hit#TREC_ORDER}). */
public record Run(Map<String, List<Hit>> byQuery) {
    public Run {
        Map<String, List<Hit>> sorted = new LinkedHashMap<>();
        byQuery.forEach((q, hits) -> {
            List<Hit> copy = new ArrayList<>(hits);
            copy.sort(Hit.TREC_ORDER);
            sorted.put(q, List.copyOf(copy));
        });
        byQuery = java.util.Collections.unmodifiableMap(sorted);
    }

    public List<Hit> of(String queryId) {
        return byQuery.getOrDefault(queryId, List.of());
    }

    /** The first n hits of every query. */
    public Run cut(int n) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        byQuery.forEach((q, hits) -> out.put(q, hits.subList(0, Math.min(n, hits.size()))));
        return new Run(out);
    }
}

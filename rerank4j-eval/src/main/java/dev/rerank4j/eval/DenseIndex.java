package dev.rerank4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact dense retrieval: every document embedded once (L2-normalised), each query scored against all of them by
 * cosine similarity. Memory is documents x dimension floats; fine for BEIR's smaller sets, not for MS MARCO.
 */
public final class DenseIndex implements FirstStage {
    private static final int EMBED_BATCH = 256;

    private final EmbeddingCache embedder;
    private final List<String> ids;
    private final float[][] vectors;

    private DenseIndex(EmbeddingCache embedder, List<String> ids, float[][] vectors) {
        this.embedder = embedder;
        this.ids = ids;
        this.vectors = vectors;
    }

    /** Embeds the corpus (what the cache lacks); the index owns the cache from here on and closes it. */
    public static DenseIndex build(Dataset dataset, EmbeddingCache embedder, Progress progress) {
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> batch = new ArrayList<>(EMBED_BATCH);
        try (Progress.Task task = progress.start("Embed corpus", dataset.countDocuments())) {
            dataset.forEachDocument(d -> {
                ids.add(d.id());
                batch.add(d.contents());
                if (batch.size() == EMBED_BATCH) {
                    flush(embedder, batch, vectors, task);
                }
            });
            flush(embedder, batch, vectors, task);
        }
        return new DenseIndex(embedder, ids, vectors.toArray(float[][]::new));
    }

    private static void flush(EmbeddingCache embedder, List<String> batch, List<float[]> out,
            Progress.Task task) {
        if (batch.isEmpty()) {
            return;
        }
        for (float[] v : embedder.embed(batch)) {
            out.add(v);
        }
        task.step(batch.size());
        batch.clear();
    }

    @Override
    public String name() {
        return "dense(" + embedder.modelId() + ", cosine, exact)";
    }

    @Override
    public Run retrieve(Map<String, String> queries, int k, Progress progress) {
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        List<String> qids = List.copyOf(queries.keySet());
        try (Progress.Task task = progress.start("Dense search", qids.size())) {
            for (int start = 0; start < qids.size(); start += EMBED_BATCH) {
                List<String> part = qids.subList(start, Math.min(qids.size(), start + EMBED_BATCH));
                float[][] qv = embedder.embed(part.stream().map(queries::get).toList());
                for (int i = 0; i < part.size(); i++) {
                    out.put(part.get(i), top(qv[i], k));
                    task.step(1);
                }
            }
        }
        return new Run(out);
    }

    private List<Hit> top(float[] query, int k) {
        PriorityQueue<Hit> best = new PriorityQueue<>(Hit.TREC_ORDER.reversed());
        for (int d = 0; d < vectors.length; d++) {
            best.add(new Hit(ids.get(d), dot(query, vectors[d])));
            if (best.size() > k) {
                best.poll();
            }
        }
        return new ArrayList<>(best);
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public void close() {
        embedder.close();
    }
}

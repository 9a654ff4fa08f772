package dev.rerank4j.eval;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.Quantize;
import java.nio.file.Path;

/**
 * One evaluation.
 *
 * @param dataset what to evaluate; null only in a suite's template, which {@link #withDataset} completes
 * @param model reranker model directory; null evaluates the first stage alone
 * @param topK candidates per query the first stage hands to the reranker
 * @param maxLength tokens per pair, 0 for the model's default
 * @param threads compute threads for the models
 * @param embeddingCache directory keeping bi-encoder embeddings between runs, or null
 * @param quantize how the reranker model runs (the first stage always runs exact)
 */
public record EvalSettings(Dataset dataset, String split, FirstStageSpec firstStage, Bm25Index.Params bm25,
        Path model, int topK, LongDocuments longDocuments, int maxLength, int chunkOverlap, int batchSize,
        int threads, Path embeddingCache, Quantize quantize) {

    /** Exact settings. */
    public EvalSettings(Dataset dataset, String split, FirstStageSpec firstStage, Bm25Index.Params bm25,
            Path model, int topK, LongDocuments longDocuments, int maxLength, int chunkOverlap, int batchSize,
            int threads, Path embeddingCache) {
        this(dataset, split, firstStage, bm25, model, topK, longDocuments, maxLength, chunkOverlap, batchSize,
                threads, embeddingCache, Quantize.NONE);
    }

    public EvalSettings {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (quantize == null) {
            throw new IllegalArgumentException("quantize must not be null");
        }
        if (maxLength < 0 || chunkOverlap < 0 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("max length and chunk overlap must be >= 0, batch size and threads "
                    + ">= 1");
        }
    }

    /** BM25 top 100, truncation, the model's own length, over a BEIR-layout directory. */
    public static EvalSettings defaults(Path dir) {
        return defaults(new BeirDataset(dir));
    }

    /** BM25 top 100, truncation, the model's own length. */
    public static EvalSettings defaults(Dataset dataset) {
        return new EvalSettings(dataset, "test", new FirstStageSpec.Bm25(), Bm25Index.Params.ANSERINI, null, 100,
                LongDocuments.TRUNCATE, 0, 32, 32, Runtime.getRuntime().availableProcessors(), null);
    }

    public EvalSettings withDataset(Dataset d, String newSplit) {
        return new EvalSettings(d, newSplit, firstStage, bm25, model, topK, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, embeddingCache, quantize);
    }

    public EvalSettings withModel(Path m) {
        return new EvalSettings(dataset, split, firstStage, bm25, m, topK, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, embeddingCache, quantize);
    }

    public EvalSettings withFirstStage(FirstStageSpec s) {
        return new EvalSettings(dataset, split, s, bm25, model, topK, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, embeddingCache, quantize);
    }

    public EvalSettings withTopK(int k) {
        return new EvalSettings(dataset, split, firstStage, bm25, model, k, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, embeddingCache, quantize);
    }

    public EvalSettings withEmbeddingCache(Path dir) {
        return new EvalSettings(dataset, split, firstStage, bm25, model, topK, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, dir, quantize);
    }

    public EvalSettings withQuantize(Quantize q) {
        return new EvalSettings(dataset, split, firstStage, bm25, model, topK, longDocuments, maxLength, chunkOverlap,
                batchSize, threads, embeddingCache, q);
    }

    public EvalSettings withLongDocuments(LongDocuments mode, int length, int overlap) {
        return new EvalSettings(dataset, split, firstStage, bm25, model, topK, mode, length, overlap, batchSize,
                threads, embeddingCache, quantize);
    }
}

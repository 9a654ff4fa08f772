package dev.rerank4j.api;

import dev.rerank4j.tokenizer.Truncation;
import java.util.Objects;

/**
 * How pairs are tokenized and batched.
 *
 * @param maxLength tokens per pair including special tokens; 0 means the model's default
 * @param longDocuments what to do with pairs over maxLength
 * @param batchSize most pairs per forward pass
 * @param chunkOverlap tokens shared by neighbouring windows when longDocuments is CHUNK
 * @param truncationDirection which end of a text loses tokens when longDocuments is TRUNCATE (cross-encoders)
 * @param instruction the task description of instruction-aware rerankers (Qwen3-Reranker's {@code <Instruct>});
 *                    null for the model's default; other models ignore it
 * @param maxChunks when longDocuments is CHUNK, the most windows scored per document, taken from its start
 *                  (Cohere's {@code max_chunks_per_doc}); 0 scores every window
 */
public record ScoreOptions(int maxLength, LongDocuments longDocuments, int batchSize, int chunkOverlap,
                           Truncation.Direction truncationDirection, String instruction, int maxChunks) {
    public static final int DEFAULT_BATCH_SIZE = 32;

    public ScoreOptions {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0 (0: the model's default), got " + maxLength);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (chunkOverlap < 0) {
            throw new IllegalArgumentException("chunkOverlap must be >= 0, got " + chunkOverlap);
        }
        if (maxChunks < 0) {
            throw new IllegalArgumentException("maxChunks must be >= 0 (0: every window), got " + maxChunks);
        }
        Objects.requireNonNull(longDocuments, "longDocuments");
        Objects.requireNonNull(truncationDirection, "truncationDirection");
    }

    public ScoreOptions(int maxLength, LongDocuments longDocuments, int batchSize, int chunkOverlap,
            Truncation.Direction truncationDirection) {
        this(maxLength, longDocuments, batchSize, chunkOverlap, truncationDirection, null, 0);
    }

    /** Truncating from the right, as Hugging Face tokenizers do by default. */
    public ScoreOptions(int maxLength, LongDocuments longDocuments, int batchSize, int chunkOverlap) {
        this(maxLength, longDocuments, batchSize, chunkOverlap, Truncation.Direction.RIGHT);
    }

    public static ScoreOptions defaults() {
        return new ScoreOptions(0, LongDocuments.TRUNCATE, DEFAULT_BATCH_SIZE, 32);
    }

    public ScoreOptions withMaxLength(int n) {
        return new ScoreOptions(n, longDocuments, batchSize, chunkOverlap, truncationDirection, instruction, maxChunks);
    }

    public ScoreOptions withLongDocuments(LongDocuments mode) {
        return new ScoreOptions(maxLength, mode, batchSize, chunkOverlap, truncationDirection, instruction, maxChunks);
    }

    public ScoreOptions withBatchSize(int n) {
        return new ScoreOptions(maxLength, longDocuments, n, chunkOverlap, truncationDirection, instruction, maxChunks);
    }

    public ScoreOptions withTruncationDirection(Truncation.Direction d) {
        return new ScoreOptions(maxLength, longDocuments, batchSize, chunkOverlap, d, instruction, maxChunks);
    }

    /** The instruction for instruction-aware rerankers; null restores the model's default. */
    public ScoreOptions withInstruction(String text) {
        return new ScoreOptions(maxLength, longDocuments, batchSize, chunkOverlap, truncationDirection, text, maxChunks);
    }

    /** At most n windows per document in CHUNK mode, the first n; 0 scores every window. */
    public ScoreOptions withMaxChunks(int n) {
        return new ScoreOptions(maxLength, longDocuments, batchSize, chunkOverlap, truncationDirection, instruction, n);
    }
}

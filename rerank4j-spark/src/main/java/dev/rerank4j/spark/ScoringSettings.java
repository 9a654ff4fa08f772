package dev.rerank4j.spark;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.ScoreOptions;
import java.io.Serializable;

/**
 * What a task needs to score its rows, and nothing more: this travels with the closure, the model never does.
 *
 * @param model a model directory visible to the executors, a file shipped with {@code spark.addFile} (its name),
 *        a Hugging Face id (read from each executor's Hugging Face cache) or {@code bundled}
 * @param threadsPerTask compute threads each task scores with
 */
record ScoringSettings(String model, int maxLength, LongDocuments longDocuments, int batchSize, int chunkOverlap,
        int threadsPerTask) implements Serializable {

    ScoreOptions scoreOptions() {
        return new ScoreOptions(maxLength, longDocuments, batchSize, chunkOverlap);
    }
}

package dev.rerank4j.model.layers;

import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.Pooling;
import java.nio.file.Path;

/**
 * What the encoder families (BERT, DeBERTa, ModernBERT) share around their forward pass: the model's limits, the
 * input checks of the embedding step, and a head that reads each sequence's first token, so that the last layer
 * can run for that token alone. A family supplies {@link #forward} and {@link #head}.
 */
public abstract class Encoder implements Model {
    private final Path directory;
    private final Architecture architecture;
    private final int maxPositions;
    private final int hiddenSize;
    private final int vocabSize;
    private final Pooling pooling;
    /** The family's kernels, shared by its layers. */
    protected final Kernels k;

    protected Encoder(Path directory, Architecture architecture, int maxPositions, int hiddenSize, int vocabSize,
            Kernels kernels, Pooling poolingOrNull) {
        this.directory = directory;
        this.architecture = architecture;
        this.maxPositions = maxPositions;
        this.hiddenSize = hiddenSize;
        this.vocabSize = vocabSize;
        this.k = kernels;
        this.pooling = poolingOrNull;
    }

    /**
     * The final hidden states of every token, or with firstOnly of each sequence's first token ([batch.size(),
     * hidden]): then the last layer computes keys and values for every token but queries, attention, projections
     * and feed-forward for the first tokens only, each of those rows the same bits as in the full pass.
     */
    protected abstract float[] forward(Batch batch, boolean firstOnly, ComputePool pool);

    /** Whether the classification head was loaded (cross-encoders). */
    protected abstract boolean hasHead();

    /** Logits, [n, numLabels], from the head's input rows, [n, hidden]. */
    protected abstract float[] head(float[] firstTokens, int n, ComputePool pool);

    @Override
    public float[] hiddenStates(Batch batch, ComputePool pool) {
        return forward(batch, false, pool);
    }

    /** Classifier logits, [sequences, numLabels]; the head reads the first tokens, so the last layer runs for them alone. */
    @Override
    public float[] logits(Batch batch, ComputePool pool) {
        requireHead();
        return head(forward(batch, true, pool), batch.size(), pool);
    }

    @Override
    public float[] logitsWithoutPruning(Batch batch, ComputePool pool) {
        requireHead();
        return head(FirstTokens.gather(forward(batch, false, pool), batch, hiddenSize), batch.size(), pool);
    }

    protected final void requireHead() {
        if (!hasHead()) {
            throw new IllegalStateException("this encoder was loaded without a classification head");
        }
    }

    /** Refuses a batch with a sequence longer than the position table before any work is done. */
    protected final void checkLengths(Batch batch) {
        for (int s = 0; s < batch.size(); s++) {
            if (batch.length(s) > maxPositions) {
                throw new RerankException("sequence of " + batch.length(s) + " tokens exceeds the model's "
                        + maxPositions + " positions; truncate it");
            }
        }
    }

    protected final void checkToken(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new RerankException("token id " + id + " is outside the vocabulary (size " + vocabSize + ")");
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public int maxPositions() {
        return maxPositions;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public Pooling pooling() {
        return pooling;
    }

    @Override
    public Kernels kernels() {
        return k;
    }
}

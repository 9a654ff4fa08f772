package dev.rerank4j.api;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.hub.HubConfig;
import dev.rerank4j.hub.ModelResolver;
import dev.rerank4j.hub.ProgressListener;
import dev.rerank4j.hub.ResolvedModel;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * A loaded model with its tokenizer and compute threads: what {@link Reranker} and {@link Embedder} run on.
 * Closing the engine (or the reranker or embedder made from it) stops its threads.
 */
public final class Engine implements AutoCloseable {
    private final String modelId;
    private final Model model;
    private final Tokenizer tokenizer;
    private final ComputePool pool;
    private final EngineOptions options;

    private Engine(String modelId, Model model, Tokenizer tokenizer, ComputePool pool, EngineOptions options) {
        this.modelId = modelId;
        this.model = model;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.options = options;
    }

    /**
     * Loads a model by name: a directory, a Hugging Face Hub id {@code org/name[@revision]} (cached, else
     * downloaded; see {@link HubConfig#fromSystem()} for the environment variables), or {@code bundled}.
     */
    public static Engine load(String spec, EngineOptions options) {
        return load(new ModelResolver(HubConfig.fromSystem(), ProgressListener.NONE).resolve(spec), options);
    }

    public static Engine load(ResolvedModel model, EngineOptions options) {
        return load(model.directory(), options, model.modelId());
    }

    public static Engine load(Path dir, EngineOptions options) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return load(dir, options, name == null ? dir.toString() : name.toString());
    }

    /** Loads a model directory, reporting it under {@code modelId} (e.g. its Hub id). */
    public static Engine load(Path dir, EngineOptions options, String modelId) {
        Model model = Model.load(dir, KernelsProvider.choose(), options.quantize() == Quantize.INT8);
        Tokenizer tokenizer = Tokenizer.load(dir);
        return new Engine(modelId, model, tokenizer, new ComputePool(options.threads()), options);
    }

    public String modelId() {
        return modelId;
    }

    public Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    ComputePool pool() {
        return pool;
    }

    EngineOptions options() {
        return options;
    }

    public Architecture architecture() {
        return model.architecture();
    }

    /** The model's hard input limit in tokens. */
    public int maxPositions() {
        return model.maxPositions();
    }

    /** Tokens per input when the caller does not say; see {@link #defaultMaxLength(int, Tokenizer, Pooling)}. */
    public int defaultMaxLength() {
        return defaultMaxLength(maxPositions(), tokenizer, model.pooling());
    }

    /**
     * sentence-transformers' {@code max_seq_length} when the model has one, else the tokenizer's
     * {@code model_max_length}, never more than the model's positions.
     */
    public static int defaultMaxLength(int positions, Tokenizer tokenizer, Pooling poolingOrNull) {
        if (poolingOrNull != null && poolingOrNull.maxSeqLength() > 0) {
            return Math.min(positions, poolingOrNull.maxSeqLength());
        }
        return Math.min(positions, tokenizer.modelMaxLength().orElse(positions));
    }

    /** Resolves a requested max length (0: default) against the model's limit. */
    int maxLength(int requested) {
        if (requested == 0) {
            return defaultMaxLength();
        }
        if (requested > maxPositions()) {
            throw new IllegalArgumentException("max length " + requested + " exceeds the model's "
                    + maxPositions() + " positions (" + modelId + ")");
        }
        if (requested < tokenizer.specialTokenCount(true) + 2) {
            throw new IllegalArgumentException("max length " + requested + " leaves no room for text");
        }
        return requested;
    }

    public Reranker reranker() {
        return model.isCrossEncoder() ? new CrossEncoderReranker(this) : new BiEncoderReranker(embedder());
    }

    public Embedder embedder() {
        if (model.isCrossEncoder()) {
            throw new ModelFormatException(model.directory(), "is a cross-encoder (" + model.architecture()
                    + "); embeddings need a bi-encoder (a sentence-transformers model)");
        }
        return new BiEncoder(this);
    }

    @Override
    public void close() {
        pool.close();
    }
}

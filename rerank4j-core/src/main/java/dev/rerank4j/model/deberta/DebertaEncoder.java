package dev.rerank4j.model.deberta;

import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.model.layers.Activations;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;

/**
 * The DeBERTa-v2/v3 encoder ({@code DebertaV2ForSequenceClassification} of transformers): word embeddings and
 * LayerNorm, post-LN layers with disentangled relative attention, and optionally the ContextPooler (dense on the
 * first token, then the pooler activation) with the classifier. Read it next to transformers'
 * {@code modeling_deberta_v2.py}. Immutable after construction, so one instance serves any number of threads.
 */
public final class DebertaEncoder implements Model {
    private final Path directory;
    private final DebertaConfig cfg;
    private final DebertaWeights w;
    private final Kernels k;
    private final Pooling pooling;
    private final RelativePositions positions;
    private final Activations.Pool workspaces;
    /** 1 / sqrt(3 · headDim), the root taken in float32 as upstream: one share for each of the three terms. */
    private final float scale;

    DebertaEncoder(Path directory, DebertaConfig cfg, DebertaWeights weights, Kernels kernels, Pooling poolingOrNull) {
        this.directory = directory;
        this.cfg = cfg;
        this.w = weights;
        this.k = kernels;
        this.pooling = poolingOrNull;
        this.positions = new RelativePositions(cfg);
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
        this.scale = 1f / (float) Math.sqrt(3f * cfg.headDim());
    }

    public DebertaConfig config() {
        return cfg;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Architecture architecture() {
        return cfg.architecture();
    }

    @Override
    public int maxPositions() {
        return cfg.maxPositions();
    }

    @Override
    public int hiddenSize() {
        return cfg.hiddenSize();
    }

    @Override
    public int numLabels() {
        return w.numLabels();
    }

    @Override
    public Pooling pooling() {
        return pooling;
    }

    @Override
    public Kernels kernels() {
        return k;
    }

    @Override
    public float[] hiddenStates(Batch batch, ComputePool pool) {
        int t = batch.totalTokens();
        int h = cfg.hiddenSize();
        int heads = cfg.numHeads();
        int d = cfg.headDim();
        int n = batch.size();
        int longest = batch.maxLength();
        int[] relIndex = positions.indexTable(longest);
        float eps = cfg.layerNormEps();
        float[] x = embed(batch, pool);
        Activations a = workspaces.take(t);
        try {
            float[] qkv = a.qkv();
            float[] ctx = a.context();
            float[] attnOut = a.attentionOut();
            float[] act = a.intermediate();
            for (DebertaLayer l : w.layers()) {
                k.matmul(x, t, l.qkv(), l.qkvBias(), Activation.IDENTITY, qkv, pool);
                // head-major tasks, so each thread's contiguous share mixes long and short sequences
                pool.forRange(n * heads, 1, (t0, t1) -> {
                    for (int task = t0; task < t1; task++) {
                        int head = task / n;
                        int s = task % n;
                        k.relativeAttention(qkv, ctx, batch.start(s), batch.length(s), heads, d, head,
                                l.posKeys()[head], l.posQueries()[head], relIndex, longest - 1, scale);
                    }
                });
                k.matmul(ctx, t, l.attnOut(), l.attnOutBias(), Activation.IDENTITY, attnOut, pool);
                k.addLayerNorm(attnOut, x, t, h, l.attnLnGamma(), l.attnLnBeta(), eps, pool);
                k.matmul(attnOut, t, l.ffnIn(), l.ffnInBias(), cfg.hiddenAct(), act, pool);
                k.matmul(act, t, l.ffnOut(), l.ffnOutBias(), Activation.IDENTITY, x, pool);
                k.addLayerNorm(x, attnOut, t, h, l.ffnLnGamma(), l.ffnLnBeta(), eps, pool);
            }
        } finally {
            workspaces.give(a);
        }
        return x;
    }

    /** Classifier logits, [sequences, numLabels]: {@code classifier(act(pooler(h[first token])))}. */
    @Override
    public float[] logits(Batch batch, ComputePool pool) {
        if (w.classifier() == null) {
            throw new IllegalStateException("this encoder was loaded without a classification head");
        }
        float[] hidden = hiddenStates(batch, pool);
        int n = batch.size();
        int h = cfg.hiddenSize();
        float[] first = new float[n * h];
        for (int s = 0; s < n; s++) {
            System.arraycopy(hidden, batch.start(s) * h, first, s * h, h);
        }
        float[] pooled = new float[n * cfg.poolerHiddenSize()];
        k.matmul(first, n, w.pooler(), w.poolerBias(), cfg.poolerAct(), pooled, pool);
        float[] logits = new float[n * w.numLabels()];
        k.matmul(pooled, n, w.classifier(), w.classifierBias(), Activation.IDENTITY, logits, pool);
        return logits;
    }

    /** Word embedding only (no positions, no token types), then LayerNorm. */
    private float[] embed(Batch batch, ComputePool pool) {
        int h = cfg.hiddenSize();
        int t = batch.totalTokens();
        int[] ids = batch.ids();
        Tensor word = w.wordEmbeddings();
        for (int s = 0; s < batch.size(); s++) {
            if (batch.length(s) > cfg.maxPositions()) {
                throw new RerankException("sequence of " + batch.length(s) + " tokens exceeds the model's "
                        + cfg.maxPositions() + " positions; truncate it");
            }
        }
        float[] x = new float[Math.multiplyExact(t, h)];
        pool.forRange(t, 64, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int id = ids[row];
                if (id < 0 || id >= cfg.vocabSize()) {
                    throw new RerankException("token id " + id + " is outside the vocabulary (size "
                            + cfg.vocabSize() + ")");
                }
                for (int c = 0; c < h; c++) {
                    x[row * h + c] = word.get(id, c);
                }
            }
        });
        k.addLayerNorm(x, null, t, h, w.embLnGamma(), w.embLnBeta(), cfg.layerNormEps(), pool);
        return x;
    }
}

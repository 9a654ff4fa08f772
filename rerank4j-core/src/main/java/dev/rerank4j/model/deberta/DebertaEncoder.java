package dev.rerank4j.model.deberta;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.model.layers.Activations;
import dev.rerank4j.model.layers.Encoder;
import dev.rerank4j.model.layers.FirstTokens;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;

/**
 * The DeBERTa-v2/v3 encoder ({@code DebertaV2ForSequenceClassification} of transformers): word embeddings and
 * LayerNorm, post-LN layers with disentangled relative attention, and optionally the ContextPooler (dense on the
 * first token, then the pooler activation) with the classifier. Read it next to transformers'
 * {@code modeling_deberta_v2.py}. Immutable after construction, so one instance serves any number of threads.
 */
public final class DebertaEncoder extends Encoder {
    private final DebertaConfig cfg;
    private final DebertaWeights w;
    private final RelativePositions positions;
    private final Activations.Pool workspaces;
    /** 1 / sqrt(3 · headDim), the root taken in float32 as upstream: one share for each of the three terms. */
    private final float scale;

    DebertaEncoder(Path directory, DebertaConfig cfg, DebertaWeights weights, Kernels kernels, Pooling poolingOrNull) {
        super(directory, cfg.architecture(), cfg.maxPositions(), cfg.hiddenSize(), cfg.vocabSize(), kernels,
                poolingOrNull);
        this.cfg = cfg;
        this.w = weights;
        this.positions = new RelativePositions(cfg);
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
        this.scale = 1f / (float) Math.sqrt(3f * cfg.headDim());
    }

    public DebertaConfig config() {
        return cfg;
    }

    @Override
    public int numLabels() {
        return w.numLabels();
    }

    @Override
    protected float[] forward(Batch batch, boolean firstOnly, ComputePool pool) {
        int t = batch.totalTokens();
        int h = cfg.hiddenSize();
        int n = batch.size();
        int longest = batch.maxLength();
        int[] relIndex = positions.indexTable(longest);
        float[] x = embed(batch, pool);
        Activations a = workspaces.take(t);
        try {
            float[] qkv = a.qkv();
            float[] ctx = a.context();
            DebertaLayer[] layers = w.layers();
            for (int i = 0; i < layers.length; i++) {
                DebertaLayer l = layers[i];
                if (firstOnly && i == layers.length - 1) {
                    // the head reads the first tokens: their queries meet every token's keys and values
                    float[] first = FirstTokens.projectQkv(k, x, batch, h, l.qkv(), l.qkvBias(), qkv, pool);
                    attention(l, batch, relIndex, longest - 1, qkv, ctx, true, pool);
                    return feedForward(l, first, FirstTokens.gather(ctx, batch, h), n, new float[n * h],
                            new float[n * cfg.intermediateSize()], pool);
                }
                k.matmul(x, t, l.qkv(), l.qkvBias(), Activation.IDENTITY, qkv, pool);
                attention(l, batch, relIndex, longest - 1, qkv, ctx, false, pool);
                feedForward(l, x, ctx, t, a.attentionOut(), a.intermediate(), pool);
            }
        } finally {
            workspaces.give(a);
        }
        return x;
    }

    /** One (head, sequence) per task; with firstOnly, for each sequence's first query only. */
    private void attention(DebertaLayer l, Batch batch, int[] relIndex, int center, float[] qkv, float[] ctx,
            boolean firstOnly, ComputePool pool) {
        int n = batch.size();
        int heads = cfg.numHeads();
        // head-major tasks, so each thread's contiguous share mixes long and short sequences
        pool.forRange(n * heads, 1, (t0, t1) -> {
            for (int task = t0; task < t1; task++) {
                int head = task / n;
                int s = task % n;
                int len = batch.length(s);
                k.relativeAttention(qkv, ctx, batch.start(s), len, firstOnly ? 1 : len, heads, cfg.headDim(), head,
                        l.posKeys()[head], l.posQueries()[head], relIndex, center, scale);
            }
        });
    }

    /**
     * The rest of a layer after attention, on m rows, in place in x: with {@code y = LN(Wo·ctx + x)},
     * {@code x := LN(ffn(y) + y)}; attnOut (for y) and act are m rows of buffer. Returns x.
     */
    private float[] feedForward(DebertaLayer l, float[] x, float[] ctx, int m, float[] attnOut, float[] act,
            ComputePool pool) {
        int h = cfg.hiddenSize();
        float eps = cfg.layerNormEps();
        k.matmul(ctx, m, l.attnOut(), l.attnOutBias(), Activation.IDENTITY, attnOut, pool);
        k.addLayerNorm(attnOut, x, m, h, l.attnLnGamma(), l.attnLnBeta(), eps, pool);
        k.matmul(attnOut, m, l.ffnIn(), l.ffnInBias(), cfg.hiddenAct(), act, pool);
        k.matmul(act, m, l.ffnOut(), l.ffnOutBias(), Activation.IDENTITY, x, pool);
        k.addLayerNorm(x, attnOut, m, h, l.ffnLnGamma(), l.ffnLnBeta(), eps, pool);
        return x;
    }

    @Override
    protected boolean hasHead() {
        return w.classifier() != null;
    }

    /** {@code classifier(act(pooler(h[first token])))}: the ContextPooler reads the first token only. */
    @Override
    protected float[] head(float[] first, int n, ComputePool pool) {
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
        checkLengths(batch);
        float[] x = new float[Math.multiplyExact(t, h)];
        pool.forRange(t, 64, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int id = ids[row];
                checkToken(id);
                for (int c = 0; c < h; c++) {
                    x[row * h + c] = word.get(id, c);
                }
            }
        });
        k.addLayerNorm(x, null, t, h, w.embLnGamma(), w.embLnBeta(), cfg.layerNormEps(), pool);
        return x;
    }
}

package dev.rerank4j.model.modernbert;

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
 * The ModernBERT forward pass, as transformers' {@code ModernBertModel} and {@code ModernBertForSequenceClassification}
 * (eager path): token embeddings and norm; pre-norm layers {@code h += Wo(attn(attn_norm(h)))},
 * {@code h += Wo(gelu(input) * gate)} with {@code [input | gate] = Wi(mlp_norm(h))}, attention global on every
 * {@code global_attn_every_n_layers}-th layer and within a sliding window elsewhere, rotary positions with the
 * layer kind's theta; the final norm; then the head over the CLS or mean-pooled state. Sequences of a batch run
 * unpadded, each attending to itself only. Immutable after construction, so one instance serves any number of
 * threads.
 */
public final class ModernBertEncoder extends Encoder {
    private final ModernBertConfig cfg;
    private final ModernBertWeights w;
    private final Rotary globalRotary;
    private final Rotary localRotary;
    private final Activations.Pool workspaces;

    ModernBertEncoder(Path directory, ModernBertConfig cfg, ModernBertWeights weights, Kernels kernels,
            Pooling poolingOrNull) {
        super(directory, cfg.architecture(), cfg.maxPositions(), cfg.hiddenSize(), cfg.vocabSize(), kernels,
                poolingOrNull);
        this.cfg = cfg;
        this.w = weights;
        this.globalRotary = new Rotary(cfg.globalRopeTheta(), cfg.headDim(), cfg.maxPositionEmbeddings());
        this.localRotary = new Rotary(cfg.localRopeTheta(), cfg.headDim(), cfg.maxPositionEmbeddings());
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
    }

    public ModernBertConfig config() {
        return cfg;
    }

    @Override
    public int numLabels() {
        return w.head() == null ? 0 : w.head().numLabels();
    }

    /** The rotary inverse frequencies of global or local layers (for comparing with the reference's). */
    float[] ropeInvFreq(boolean global) {
        return (global ? globalRotary : localRotary).invFreq();
    }

    /** As the base class says; the states are those after {@code final_norm}. */
    @Override
    protected float[] forward(Batch batch, boolean firstOnly, ComputePool pool) {
        int t = batch.totalTokens();
        int h = cfg.hiddenSize();
        int n = batch.size();
        float eps = cfg.normEps();
        float[] x = embed(batch, pool);
        Activations ws = workspaces.take(t);
        float[] normed = ws.attentionOut(); // the normed input of each sublayer, then its output
        try {
            for (int i = 0; i < w.layers().length; i++) {
                LayerWeights l = w.layers()[i];
                residualCopy(x, null, normed, t * h, pool);
                if (l.attnNormGamma() != null) {
                    k.addLayerNorm(normed, null, t, h, l.attnNormGamma(), l.attnNormBeta(), eps, pool);
                }
                if (firstOnly && i == w.layers().length - 1) {
                    // the head reads the first tokens: their queries meet every token's keys and values
                    FirstTokens.projectQkv(k, normed, batch, h, l.wqkv(), l.wqkvBias(), ws.qkv(), pool);
                    attention(batch, ws.qkv(), ws.context(), cfg.isGlobal(i), true, pool);
                    x = FirstTokens.gather(x, batch, h);
                    feedForward(l, x, FirstTokens.gather(ws.context(), batch, h), n, normed, ws.intermediate(), pool);
                    break;
                }
                k.matmul(normed, t, l.wqkv(), l.wqkvBias(), Activation.IDENTITY, ws.qkv(), pool);
                attention(batch, ws.qkv(), ws.context(), cfg.isGlobal(i), false, pool);
                feedForward(l, x, ws.context(), t, normed, ws.intermediate(), pool);
            }
        } finally {
            workspaces.give(ws);
        }
        int rows = firstOnly ? n : t;
        k.addLayerNorm(x, null, rows, h, w.finalNormGamma(), w.finalNormBeta(), eps, pool);
        return x;
    }

    /**
     * The rest of a layer after attention, on m rows, in place in x: {@code x += Wo·ctx}, then
     * {@code x += mlp(mlp_norm(x))}; normed and act are m rows of buffer.
     */
    private void feedForward(LayerWeights l, float[] x, float[] ctx, int m, float[] normed, float[] act,
            ComputePool pool) {
        int h = cfg.hiddenSize();
        k.matmul(ctx, m, l.wo(), l.woBias(), Activation.IDENTITY, normed, pool);
        residualCopy(x, normed, normed, m * h, pool);
        k.addLayerNorm(normed, null, m, h, l.mlpNormGamma(), l.mlpNormBeta(), cfg.normEps(), pool);
        k.matmulGated(normed, m, l.wi(), l.wiBias(), cfg.hiddenActivation(), act, pool);
        k.matmul(act, m, l.mlpOut(), l.mlpOutBias(), Activation.IDENTITY, normed, pool);
        residualCopy(x, normed, null, m * h, pool);
    }

    /**
     * Classifier logits, [sequences, numLabels]. With {@code classifier_pooling: cls} the head reads the first
     * token only, so the last layer runs for it alone.
     */
    @Override
    public float[] logits(Batch batch, ComputePool pool) {
        if (cfg.classifierPooling() == ModernBertConfig.HeadPooling.CLS) {
            return super.logits(batch, pool);
        }
        return logitsWithoutPruning(batch, pool);
    }

    @Override
    public float[] logitsWithoutPruning(Batch batch, ComputePool pool) {
        requireHead();
        float[] hidden = forward(batch, false, pool);
        int n = batch.size();
        int h = cfg.hiddenSize();
        float[] pooled = new float[n * h];
        for (int s = 0; s < n; s++) {
            pool(hidden, batch.start(s), batch.length(s), pooled, s * h);
        }
        return head(pooled, n, pool);
    }

    @Override
    protected boolean hasHead() {
        return w.head() != null;
    }

    /** The head on its input rows, [n, hidden]: dense, activation, norm, classifier. */
    @Override
    protected float[] head(float[] pooled, int n, ComputePool pool) {
        ModernBertWeights.Head head = w.head();
        int h = cfg.hiddenSize();
        float[] dense = new float[n * h];
        k.matmul(pooled, n, head.dense(), head.denseBias(), cfg.classifierActivation(), dense, pool);
        k.addLayerNorm(dense, null, n, h, head.normGamma(), head.normBeta(), cfg.normEps(), pool);
        float[] logits = new float[n * head.numLabels()];
        k.matmul(dense, n, head.classifier(), head.classifierBias(), Activation.IDENTITY, logits, pool);
        return logits;
    }

    /** The head's input for rows [start, start + len): token 0, or the mean of all tokens (specials included). */
    private void pool(float[] hidden, int start, int len, float[] out, int off) {
        int h = cfg.hiddenSize();
        if (cfg.classifierPooling() == ModernBertConfig.HeadPooling.CLS) {
            System.arraycopy(hidden, start * h, out, off, h);
            return;
        }
        for (int c = 0; c < h; c++) {
            double sum = 0;
            for (int i = 0; i < len; i++) {
                sum += hidden[(start + i) * h + c];
            }
            out[off + c] = (float) (sum / len);
        }
    }

    /**
     * One (sequence, head) per task: rotate the head's queries and keys by position within the sequence, then
     * attend globally or within the window, for every query or with firstOnly the first one. Head-major order spreads long and short sequences over the threads.
     */
    private void attention(Batch batch, float[] qkv, float[] out, boolean global, boolean firstOnly,
            ComputePool pool) {
        int n = batch.size();
        int heads = cfg.numHeads();
        int d = cfg.headDim();
        int hidden = cfg.hiddenSize();
        int stride = 3 * hidden;
        Rotary rotary = global ? globalRotary : localRotary;
        pool.forRange(n * heads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int head = t / n;
                int s = t % n;
                int start = batch.start(s);
                int len = batch.length(s);
                int queries = firstOnly ? 1 : len;
                rotary.rotate(qkv, start * stride + head * d, stride, queries);
                rotary.rotate(qkv, start * stride + hidden + head * d, stride, len);
                if (global) {
                    k.attention(qkv, out, start, len, queries, heads, d, head, 0f);
                } else {
                    k.attentionWindow(qkv, out, start, len, queries, heads, d, head, cfg.localRadius());
                }
            }
        });
    }

    /** {@code x += delta} (when delta is not null), then {@code copy := x} (when copy is not null), over n floats. */
    private static void residualCopy(float[] x, float[] delta, float[] copy, int n, ComputePool pool) {
        pool.forRange(Math.ceilDiv(n, 4096), 1, (b0, b1) -> {
            int end = Math.min(n, b1 * 4096);
            for (int i = b0 * 4096; i < end; i++) {
                if (delta != null) {
                    x[i] += delta[i];
                }
                if (copy != null) {
                    copy[i] = x[i];
                }
            }
        });
    }

    private float[] embed(Batch batch, ComputePool pool) {
        int h = cfg.hiddenSize();
        int[] ids = batch.ids();
        float[] x = new float[Math.multiplyExact(batch.totalTokens(), h)];
        Tensor tok = w.tokEmbeddings();
        checkLengths(batch);
        pool.forRange(batch.totalTokens(), 64, (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int id = ids[row];
                checkToken(id);
                for (int c = 0; c < h; c++) {
                    x[row * h + c] = tok.get(id, c);
                }
            }
        });
        k.addLayerNorm(x, null, batch.totalTokens(), h, w.embNormGamma(), w.embNormBeta(), cfg.normEps(), pool);
        return x;
    }
}

package dev.rerank4j.model;

import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.weights.Tensor;

/**
 * The BERT-family encoder: embeddings, post-LN transformer layers, and optionally the pooler and
 * classification head. Immutable after construction, so one instance serves any number of threads.
 */
public final class Encoder {
    private final ModelConfig cfg;
    private final EncoderWeights w;
    private final Kernels k;
    private final Attention attention;
    private final Activations.Pool workspaces;

    Encoder(ModelConfig cfg, EncoderWeights weights, Kernels kernels) {
        this.cfg = cfg;
        this.w = weights;
        this.k = kernels;
        this.attention = new Attention(kernels, cfg.numHeads(), cfg.headDim(),
                cfg.alibi() ? Alibi.slopes(cfg.numHeads()) : null);
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
    }

    public ModelConfig config() {
        return cfg;
    }

    public Kernels kernels() {
        return k;
    }

    /** Final hidden states of every token, [totalTokens, hidden] row-major. */
    public float[] hiddenStates(Batch batch, ComputePool pool) {
        int t = batch.totalTokens();
        int h = cfg.hiddenSize();
        boolean gated = cfg.feedForward() != FeedForward.MLP;
        Activation gate = cfg.feedForward() == FeedForward.REGLU ? Activation.RELU : Activation.GELU;
        float[] x = embed(batch, pool);
        Activations a = workspaces.take(t);
        try {
            float[] qkv = a.qkv();
            float[] ctx = a.context();
            float[] attnOut = a.attentionOut();
            float[] act = a.intermediate();
            for (LayerWeights l : w.layers()) {
                k.matmul(x, t, l.qkv(), l.qkvBias(), Activation.IDENTITY, qkv, pool);
                attention.run(batch, qkv, ctx, pool);
                k.matmul(ctx, t, l.attnOut(), l.attnOutBias(), Activation.IDENTITY, attnOut, pool);
                k.addLayerNorm(attnOut, x, t, h, l.attnLnGamma(), l.attnLnBeta(), cfg.layerNormEps(), pool);
                if (gated) {
                    k.matmulGated(attnOut, t, l.ffnIn(), l.ffnInBias(), gate, act, pool);
                } else {
                    k.matmul(attnOut, t, l.ffnIn(), l.ffnInBias(), cfg.hiddenAct(), act, pool);
                }
                k.matmul(act, t, l.ffnOut(), l.ffnOutBias(), Activation.IDENTITY, x, pool);
                k.addLayerNorm(x, attnOut, t, h, l.ffnLnGamma(), l.ffnLnBeta(), cfg.layerNormEps(), pool);
            }
        } finally {
            workspaces.give(a);
        }
        return x;
    }

    /** Classifier logits, [sequences, numLabels]: {@code classifier(tanh(pooler(h[CLS])))}. */
    public float[] logits(Batch batch, ComputePool pool) {
        if (w.classifier() == null) {
            throw new IllegalStateException("this encoder was loaded without a classification head");
        }
        float[] hidden = hiddenStates(batch, pool);
        int n = batch.size();
        int h = cfg.hiddenSize();
        float[] cls = new float[n * h];
        for (int s = 0; s < n; s++) {
            System.arraycopy(hidden, batch.start(s) * h, cls, s * h, h);
        }
        float[] pooled = new float[n * h];
        k.matmul(cls, n, w.pooler(), w.poolerBias(), Activation.TANH, pooled, pool);
        float[] logits = new float[n * w.numLabels()];
        k.matmul(pooled, n, w.classifier(), w.classifierBias(), Activation.IDENTITY, logits, pool);
        return logits;
    }

    public int numLabels() {
        return w.numLabels();
    }

    private float[] embed(Batch batch, ComputePool pool) {
        int h = cfg.hiddenSize();
        int t = batch.totalTokens();
        int[] ids = batch.ids();
        int[] types = batch.typeIds();
        float[] x = new float[t * h];
        Tensor word = w.wordEmbeddings();
        float[] pos = w.positionEmbeddings();
        float[] typeEmb = w.tokenTypeEmbeddings();
        for (int s = 0; s < batch.size(); s++) {
            if (pos != null && batch.length(s) > cfg.maxPositionEmbeddings()) {
                throw new RerankException("sequence of " + batch.length(s) + " tokens exceeds the model's "
                        + cfg.maxPositionEmbeddings() + " positions; truncate it");
            }
        }
        pool.forRange(batch.size(), 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                for (int i = 0; i < batch.length(s); i++) {
                    int row = batch.start(s) + i;
                    int id = ids[row];
                    int type = types[row];
                    if (id < 0 || id >= cfg.vocabSize()) {
                        throw new RerankException("token id " + id + " is outside the vocabulary (size "
                                + cfg.vocabSize() + ")");
                    }
                    if (type < 0 || type >= cfg.typeVocabSize()) {
                        throw new RerankException("token type id " + type + " is outside 0.." + (cfg.typeVocabSize() - 1));
                    }
                    int o = row * h;
                    for (int c = 0; c < h; c++) {
                        float v = word.get(id, c) + typeEmb[type * h + c];
                        if (pos != null) {
                            v += pos[i * h + c];
                        }
                        x[o + c] = v;
                    }
                }
            }
        });
        k.addLayerNorm(x, null, t, h, w.embLnGamma(), w.embLnBeta(), cfg.layerNormEps(), pool);
        return x;
    }
}

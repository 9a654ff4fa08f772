package dev.rerank4j.model.bert;

import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.RowGroups;
import dev.rerank4j.model.Architecture;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.model.layers.Activations;
import dev.rerank4j.model.layers.Alibi;
import dev.rerank4j.model.layers.Attention;
import dev.rerank4j.model.layers.Linears;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;

/**
 * BERT, JinaBERT and XLM-RoBERTa: embeddings, post-LN transformer layers, and optionally the classification
 * head (see {@link BertConfig} for what differs between them). Read it next to Hugging Face's
 * {@code modeling_bert.py} / {@code modeling_xlm_roberta.py}. Immutable after construction, so one instance
 * serves any number of threads.
 */
public final class BertEncoder implements Model {
    private final Path directory;
    private final BertConfig cfg;
    private final BertWeights w;
    private final Kernels k;
    private final Pooling pooling;
    private final Attention attention;
    private final Activations.Pool workspaces;

    BertEncoder(Path directory, BertConfig cfg, BertWeights weights, Kernels kernels, Pooling poolingOrNull) {
        this.directory = directory;
        this.pooling = poolingOrNull;
        this.cfg = cfg;
        this.w = weights;
        this.k = kernels;
        this.attention = new Attention(kernels, cfg.numHeads(), cfg.headDim(),
                cfg.alibi() ? Alibi.slopes(cfg.numHeads()) : null);
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
    }

    public BertConfig config() {
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
        boolean gated = cfg.feedForward() != FeedForward.MLP;
        Activation gate = cfg.feedForward() == FeedForward.REGLU ? Activation.RELU : Activation.GELU;
        float[] x = embed(batch, pool);
        RowGroups rows = Linears.sequences(batch);
        Activations a = workspaces.take(t);
        try {
            float[] qkv = a.qkv();
            float[] ctx = a.context();
            float[] attnOut = a.attentionOut();
            float[] act = a.intermediate();
            for (LayerWeights l : w.layers()) {
                Linears.matmul(k, x, rows, l.qkv(), l.qkvBias(), Activation.IDENTITY, qkv, pool);
                attention.run(batch, qkv, ctx, pool);
                Linears.matmul(k, ctx, rows, l.attnOut(), l.attnOutBias(), Activation.IDENTITY, attnOut, pool);
                k.addLayerNorm(attnOut, x, t, h, l.attnLnGamma(), l.attnLnBeta(), cfg.layerNormEps(), pool);
                if (gated) {
                    Linears.matmulGated(k, attnOut, rows, l.ffnIn(), l.ffnInBias(), gate, act, pool);
                } else {
                    Linears.matmul(k, attnOut, rows, l.ffnIn(), l.ffnInBias(), cfg.hiddenAct(), act, pool);
                }
                Linears.matmul(k, act, rows, l.ffnOut(), l.ffnOutBias(), Activation.IDENTITY, x, pool);
                k.addLayerNorm(x, attnOut, t, h, l.ffnLnGamma(), l.ffnLnBeta(), cfg.layerNormEps(), pool);
            }
        } finally {
            workspaces.give(a);
        }
        return x;
    }

    /**
     * Classifier logits, [sequences, numLabels]: {@code out(tanh(dense(h[0])))}, where dense and out are
     * BERT's pooler and classifier or RoBERTa's {@code classifier.dense} and {@code classifier.out_proj}.
     */
    @Override
    public float[] logits(Batch batch, ComputePool pool) {
        if (w.headOut() == null) {
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
        RowGroups sequences = RowGroups.eachRow(n);
        Linears.matmul(k, cls, sequences, w.headDense(), w.headDenseBias(), Activation.TANH, pooled, pool);
        float[] logits = new float[n * w.numLabels()];
        Linears.matmul(k, pooled, sequences, w.headOut(), w.headOutBias(), Activation.IDENTITY, logits, pool);
        return logits;
    }

    @Override
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
        boolean fromPadding = cfg.positionOffset() > 0;
        int pad = cfg.padTokenId();
        for (int s = 0; s < batch.size(); s++) {
            if (pos != null && batch.length(s) > cfg.maxPositions()) {
                throw new RerankException("sequence of " + batch.length(s) + " tokens exceeds the model's "
                        + cfg.maxPositions() + " positions; truncate it");
            }
        }
        pool.forRange(batch.size(), 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int counted = 0;
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
                    // RoBERTa numbers the non-padding tokens from padding_idx + 1 and gives a padding token
                    // padding_idx itself (cumsum(id != pad) * (id != pad) + pad), wherever it stands.
                    int position = !fromPadding ? i : id == pad ? pad : pad + ++counted;
                    int o = row * h;
                    for (int c = 0; c < h; c++) {
                        float v = word.get(id, c) + typeEmb[type * h + c];
                        if (pos != null) {
                            v += pos[position * h + c];
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

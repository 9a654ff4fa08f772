package dev.rerank4j.model.bert;

import dev.rerank4j.RerankException;
import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.QuantizedMatrix;
import dev.rerank4j.kernels.RowGroups;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.model.layers.Activations;
import dev.rerank4j.model.layers.Alibi;
import dev.rerank4j.model.layers.Attention;
import dev.rerank4j.model.layers.Encoder;
import dev.rerank4j.model.layers.FirstTokens;
import dev.rerank4j.model.layers.Linears;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;

/**
 * BERT, JinaBERT and XLM-RoBERTa: embeddings, post-LN transformer layers, and optionally the classification
 * head (see {@link BertConfig} for what differs between them). Read it next to Hugging Face's
 * {@code modeling_bert.py} / {@code modeling_xlm_roberta.py}. Immutable after construction, so one instance
 * serves any number of threads.
 */
public final class BertEncoder extends Encoder {
    private final BertConfig cfg;
    private final BertWeights w;
    private final Attention attention;
    private final Activations.Pool workspaces;

    BertEncoder(Path directory, BertConfig cfg, BertWeights weights, Kernels kernels, Pooling poolingOrNull) {
        super(directory, cfg.architecture(), cfg.maxPositions(), cfg.hiddenSize(), cfg.vocabSize(), kernels,
                poolingOrNull);
        this.cfg = cfg;
        this.w = weights;
        this.attention = new Attention(kernels, cfg.numHeads(), cfg.headDim(),
                cfg.alibi() ? Alibi.slopes(cfg.numHeads()) : null);
        this.workspaces = new Activations.Pool(cfg.hiddenSize(), cfg.intermediateSize());
    }

    public BertConfig config() {
        return cfg;
    }

    @Override
    protected float[] forward(Batch batch, boolean firstOnly, ComputePool pool) {
        int t = batch.totalTokens();
        int h = cfg.hiddenSize();
        int n = batch.size();
        float[] x = embed(batch, pool);
        RowGroups rows = Linears.sequences(batch);
        Activations a = workspaces.take(t);
        try {
            float[] qkv = a.qkv();
            float[] ctx = a.context();
            LayerWeights[] layers = w.layers();
            for (int i = 0; i < layers.length; i++) {
                LayerWeights l = layers[i];
                // int8 quantizes each sequence's activations together, so its first tokens alone would get
                // other scales: quantized layers run whole
                if (firstOnly && i == layers.length - 1 && !(l.qkv() instanceof QuantizedMatrix)) {
                    // the head reads the first tokens: their queries meet every token's keys and values
                    float[] first = FirstTokens.projectQkv(k, x, batch, h, l.qkv(), l.qkvBias(), qkv, pool);
                    attention.run(batch, qkv, ctx, true, pool);
                    return feedForward(l, first, FirstTokens.gather(ctx, batch, h), RowGroups.eachRow(n),
                            new float[n * h], new float[n * cfg.intermediateSize()], pool);
                }
                Linears.matmul(k, x, rows, l.qkv(), l.qkvBias(), Activation.IDENTITY, qkv, pool);
                attention.run(batch, qkv, ctx, false, pool);
                feedForward(l, x, ctx, rows, a.attentionOut(), a.intermediate(), pool);
            }
            if (firstOnly) {
                return FirstTokens.gather(x, batch, h);
            }
        } finally {
            workspaces.give(a);
        }
        return x;
    }

    /**
     * The rest of a layer after attention, on the given rows, in place in x: with {@code y = LN(Wo·ctx + x)},
     * {@code x := LN(ffn(y) + y)}; attnOut (for y) and act are buffers of as many rows. Returns x.
     */
    private float[] feedForward(LayerWeights l, float[] x, float[] ctx, RowGroups rows, float[] attnOut, float[] act,
            ComputePool pool) {
        int h = cfg.hiddenSize();
        int m = rows.rows();
        Linears.matmul(k, ctx, rows, l.attnOut(), l.attnOutBias(), Activation.IDENTITY, attnOut, pool);
        k.addLayerNorm(attnOut, x, m, h, l.attnLnGamma(), l.attnLnBeta(), cfg.layerNormEps(), pool);
        if (cfg.feedForward() != FeedForward.MLP) {
            Activation gate = cfg.feedForward() == FeedForward.REGLU ? Activation.RELU : Activation.GELU;
            Linears.matmulGated(k, attnOut, rows, l.ffnIn(), l.ffnInBias(), gate, act, pool);
        } else {
            Linears.matmul(k, attnOut, rows, l.ffnIn(), l.ffnInBias(), cfg.hiddenAct(), act, pool);
        }
        Linears.matmul(k, act, rows, l.ffnOut(), l.ffnOutBias(), Activation.IDENTITY, x, pool);
        k.addLayerNorm(x, attnOut, m, h, l.ffnLnGamma(), l.ffnLnBeta(), cfg.layerNormEps(), pool);
        return x;
    }

    /**
     * {@code out(tanh(dense(h[0])))}, where dense and out are BERT's pooler and classifier or RoBERTa's
     * {@code classifier.dense} and {@code classifier.out_proj}.
     */
    @Override
    protected float[] head(float[] cls, int n, ComputePool pool) {
        int h = cfg.hiddenSize();
        float[] pooled = new float[n * h];
        RowGroups sequences = RowGroups.eachRow(n);
        Linears.matmul(k, cls, sequences, w.headDense(), w.headDenseBias(), Activation.TANH, pooled, pool);
        float[] logits = new float[n * w.numLabels()];
        Linears.matmul(k, pooled, sequences, w.headOut(), w.headOutBias(), Activation.IDENTITY, logits, pool);
        return logits;
    }

    @Override
    protected boolean hasHead() {
        return w.headOut() != null;
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
        if (pos != null) { // ALiBi has no table to run past
            checkLengths(batch);
        }
        pool.forRange(batch.size(), 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int counted = 0;
                for (int i = 0; i < batch.length(s); i++) {
                    int row = batch.start(s) + i;
                    int id = ids[row];
                    int type = types[row];
                    checkToken(id);
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

package dev.rerank4j.bench;

import dev.rerank4j.model.Model;
import dev.rerank4j.model.bert.BertConfig;
import dev.rerank4j.model.bert.BertEncoder;
import dev.rerank4j.model.bert.FeedForward;
import dev.rerank4j.model.deberta.DebertaConfig;
import dev.rerank4j.model.deberta.DebertaEncoder;
import dev.rerank4j.model.modernbert.ModernBertConfig;
import dev.rerank4j.model.modernbert.ModernBertEncoder;

/**
 * Floating-point operations of one encoder forward pass, counting a multiply-add as 2: the dense layers'
 * {@code 2·in·out} per token, plus {@code 2·len·keys·hidden} per sequence and layer for each product over the
 * (query, key) pairs: the scores and the weighted sum of values, and for DeBERTa also the content-to-position and
 * position-to-content terms (each a headDim-long product per pair and head, as if computed pair by pair). keys is
 * len for global attention and at most {@code 2·radius + 1} within a sliding window. The pooler and classifier are
 * left out (under 0.1% at 128 tokens). When a cross-encoder's head reads the first token only, its last layer counts
 * keys and values for every token and the rest for the first token alone, as {@code Model.logits} computes it.
 *
 * @param radii per layer, -1 for global attention, else the window's reach each way
 * @param pairProducts headDim-long products per (query, key) pair and head: 2, or 4 with DeBERTa's relative terms
 * @param lastLayerPruned whether the last layer runs for the first token only (keys and values aside)
 */
public record Flops(long densePerTokenPerLayer, int hidden, int[] radii, int pairProducts, boolean lastLayerPruned) {

    /** The count for a loaded model of a family the benchmark knows. */
    public static Flops of(Model model) {
        if (model instanceof BertEncoder bert) {
            BertConfig c = bert.config();
            long ffnIn = c.feedForward() == FeedForward.MLP ? c.intermediateSize() : 2L * c.intermediateSize();
            return new Flops(dense(c.hiddenSize(), ffnIn, c.intermediateSize()), c.hiddenSize(),
                    radii(c.numLayers(), i -> -1), 2, model.numLabels() > 0);
        }
        if (model instanceof DebertaEncoder deberta) {
            DebertaConfig c = deberta.config();
            return new Flops(dense(c.hiddenSize(), c.intermediateSize(), c.intermediateSize()), c.hiddenSize(),
                    radii(c.numLayers(), i -> -1), 4, model.numLabels() > 0);
        }
        if (model instanceof ModernBertEncoder modern) {
            ModernBertConfig c = modern.config();
            return new Flops(dense(c.hiddenSize(), 2L * c.intermediateSize(), c.intermediateSize()), c.hiddenSize(),
                    radii(c.numLayers(), i -> c.isGlobal(i) ? -1 : c.localRadius()), 2,
                    model.numLabels() > 0 && c.classifierPooling() == ModernBertConfig.HeadPooling.CLS);
        }
        throw new IllegalArgumentException("no FLOP count for " + model.architecture());
    }

    /** Per token and layer: fused QKV, attention output, feed-forward in (ffnIn outputs) and out. */
    private static long dense(long h, long ffnIn, long inter) {
        return 2 * h * 3 * h + 2 * h * h + 2 * h * ffnIn + 2 * inter * h;
    }

    private static int[] radii(int layers, java.util.function.IntUnaryOperator radius) {
        int[] r = new int[layers];
        for (int i = 0; i < layers; i++) {
            r[i] = radius.applyAsInt(i);
        }
        return r;
    }

    public double sequence(int length) {
        double sum = 0;
        for (int i = 0; i < radii.length; i++) {
            double keys = radii[i] < 0 ? length : Math.min(length, 2.0 * radii[i] + 1);
            if (lastLayerPruned && i == radii.length - 1) {
                double keysAndValues = 4.0 * hidden * hidden;
                sum += length * keysAndValues + (densePerTokenPerLayer - keysAndValues)
                        + 2.0 * pairProducts * keys * hidden;
            } else {
                sum += length * (double) densePerTokenPerLayer + 2.0 * pairProducts * length * keys * hidden;
            }
        }
        return sum;
    }

    /** The pair products of one global layer: scores and values, and DeBERTa's relative terms. */
    public double pairTerms(int length) {
        return 2.0 * pairProducts * length * (double) length * hidden;
    }

    public double sequences(int[] lengths) {
        double sum = 0;
        for (int len : lengths) {
            sum += sequence(len);
        }
        return sum;
    }
}

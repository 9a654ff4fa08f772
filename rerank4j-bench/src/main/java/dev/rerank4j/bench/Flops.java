package dev.rerank4j.bench;

import dev.rerank4j.model.Model;
import dev.rerank4j.model.bert.BertConfig;
import dev.rerank4j.model.bert.BertEncoder;
import dev.rerank4j.model.bert.FeedForward;
import dev.rerank4j.model.deberta.DebertaConfig;
import dev.rerank4j.model.deberta.DebertaEncoder;

/**
 * Floating-point operations of one encoder forward pass, counting a multiply-add as 2: the dense layers'
 * {@code 2·in·out} per token, plus {@code 2·len²·hidden} per sequence and layer for each product over all
 * (query, key) pairs: the scores and the weighted sum of values, and for DeBERTa also the content-to-position
 * and position-to-content terms (each a headDim-long product per pair and head, as if computed pair by pair).
 * The pooler and classifier are left out (under 0.1% at 128 tokens).
 *
 * @param pairProducts headDim-long products per (query, key) pair and head: 2, or 4 with DeBERTa's relative terms
 */
public record Flops(int layers, long densePerTokenPerLayer, int hidden, int pairProducts) {

    public static Flops of(Model model) {
        if (model instanceof BertEncoder bert) {
            BertConfig c = bert.config();
            long ffnIn = c.feedForward() == FeedForward.MLP ? c.intermediateSize() : 2L * c.intermediateSize();
            return new Flops(c.numLayers(), dense(c.hiddenSize(), ffnIn, c.intermediateSize()), c.hiddenSize(), 2);
        }
        if (model instanceof DebertaEncoder deberta) {
            DebertaConfig c = deberta.config();
            return new Flops(c.numLayers(), dense(c.hiddenSize(), c.intermediateSize(), c.intermediateSize()),
                    c.hiddenSize(), 4);
        }
        throw new IllegalArgumentException("no FLOP count for " + model.architecture());
    }

    /** Fused QKV, attention output, feed-forward in ({@code ffnIn} wide) and out, per token and layer. */
    private static long dense(long h, long ffnIn, long inter) {
        return 2 * h * 3 * h + 2 * h * h + 2 * h * ffnIn + 2 * inter * h;
    }

    public double sequence(int length) {
        return layers * (length * (double) densePerTokenPerLayer + pairTerms(length));
    }

    /** The pair products of one layer: scores and values, and DeBERTa's relative terms. */
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

package dev.rerank4j.bench;

import dev.rerank4j.model.Model;
import dev.rerank4j.model.bert.BertConfig;
import dev.rerank4j.model.bert.BertEncoder;
import dev.rerank4j.model.bert.FeedForward;

/**
 * Floating-point operations of one encoder forward pass, counting a multiply-add as 2: the dense layers'
 * {@code 2·in·out} per token, plus attention's {@code 4·len²·hidden} per sequence and layer (scores and the
 * weighted sum of values). The pooler and classifier are left out (under 0.1% at 128 tokens).
 */
public record Flops(BertConfig config) {

    /** The count for a loaded model; only the BERT-layer family has one so far. */
    public static Flops of(Model model) {
        if (model instanceof BertEncoder bert) {
            return new Flops(bert.config());
        }
        throw new IllegalArgumentException("no FLOP count for " + model.architecture());
    }

    /** Dense-layer operations per token and layer: fused QKV, attention output, feed-forward in and out. */
    public long densePerTokenPerLayer() {
        long h = config.hiddenSize();
        long inter = config.intermediateSize();
        long ffnIn = config.feedForward() == FeedForward.MLP ? inter : 2 * inter;
        return 2 * h * 3 * h + 2 * h * h + 2 * h * ffnIn + 2 * inter * h;
    }

    public double sequence(int length) {
        double layers = config.numLayers();
        double h = config.hiddenSize();
        return layers * (length * (double) densePerTokenPerLayer() + 4.0 * length * length * h);
    }

    public double sequences(int[] lengths) {
        double sum = 0;
        for (int len : lengths) {
            sum += sequence(len);
        }
        return sum;
    }
}

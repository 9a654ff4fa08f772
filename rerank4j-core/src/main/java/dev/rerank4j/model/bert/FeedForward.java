package dev.rerank4j.model.bert;

/** Feed-forward block variants: BERT's two-layer MLP, or a gated linear unit as in JinaBERT. */
public enum FeedForward {
    MLP, GEGLU, REGLU
}

package dev.rerank4j.model;

/** What a model directory holds, as far as rerank4j is concerned. */
public enum Architecture {
    /** JinaBERT with a sequence-classification head: ALiBi, gated feed-forward. */
    JINA_BERT_CROSS_ENCODER,
    /** BertForSequenceClassification, e.g. cross-encoder/ms-marco-MiniLM-L-6-v2. */
    BERT_CROSS_ENCODER,
    /** A BertModel in sentence-transformers layout, pooled into one vector per text. */
    BERT_BI_ENCODER,
    /** A Qwen3 decoder (Qwen3ForCausalLM or Qwen3ForSequenceClassification) as a yes/no reranker. */
    QWEN3_RERANKER;

    public boolean isCrossEncoder() {
        return this != BERT_BI_ENCODER;
    }
}

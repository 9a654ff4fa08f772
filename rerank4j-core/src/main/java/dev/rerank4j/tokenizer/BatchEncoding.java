package dev.rerank4j.tokenizer;

/** Encodings padded on the right to one length; {@code attentionMask} is 1 for real tokens and 0 for padding. */
public record BatchEncoding(int[][] ids, int[][] typeIds, int[][] attentionMask) {

    public int size() {
        return ids.length;
    }

    public int sequenceLength() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}

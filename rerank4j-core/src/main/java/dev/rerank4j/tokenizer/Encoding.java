package dev.rerank4j.tokenizer;

/**
 * One encoded text or text pair.
 *
 * @param ids               token ids, special tokens included
 * @param typeIds           token type (segment) ids
 * @param specialTokensMask 1 where the post-processor inserted a special token
 * @param offsets           {@code [start0, end0, start1, end1, ...]}: for each token the UTF-16 char range it covers in
 *                          the original string of its sequence ({@code 0,0} for inserted special tokens)
 * @param sequenceIds       0 for the first text, 1 for the second, -1 for inserted special tokens
 */
public record Encoding(int[] ids, int[] typeIds, int[] specialTokensMask, int[] offsets, int[] sequenceIds) {

    public int length() {
        return ids.length;
    }

    /** Start of token {@code i} in its original string. */
    public int start(int i) {
        return offsets[2 * i];
    }

    /** End (exclusive) of token {@code i} in its original string. */
    public int end(int i) {
        return offsets[2 * i + 1];
    }
}

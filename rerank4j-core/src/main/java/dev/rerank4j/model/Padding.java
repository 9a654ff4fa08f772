package dev.rerank4j.model;

import dev.rerank4j.tokenizer.BatchEncoding;

/**
 * Accepts batches in the padded form Hugging Face pipelines produce. The encoder never computes padding: the
 * attention mask tells each sequence's real length, and only those tokens are kept.
 */
public final class Padding {
    private Padding() {
    }

    /** Drops the masked positions of a right-padded batch. */
    public static Batch unpad(BatchEncoding padded) {
        int n = padded.size();
        int[][] ids = new int[n][];
        int[][] types = new int[n][];
        for (int s = 0; s < n; s++) {
            int[] mask = padded.attentionMask()[s];
            int len = 0;
            while (len < mask.length && mask[len] == 1) {
                len++;
            }
            for (int i = len; i < mask.length; i++) {
                if (mask[i] != 0) {
                    throw new IllegalArgumentException("sequence " + s + " is not right-padded: mask has a 1 at "
                            + i + " after a 0 at " + len);
                }
            }
            ids[s] = java.util.Arrays.copyOf(padded.ids()[s], len);
            types[s] = java.util.Arrays.copyOf(padded.typeIds()[s], len);
        }
        return Batch.of(ids, types);
    }
}

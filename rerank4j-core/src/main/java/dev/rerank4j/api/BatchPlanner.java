package dev.rerank4j.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts inputs into forward passes: longest first, so each batch holds similar lengths and attention work is
 * even, and within a token budget, so one batch of long pairs cannot exhaust memory.
 */
final class BatchPlanner {
    private BatchPlanner() {
    }

    /** Groups of input indices, each group one forward pass. */
    static List<int[]> plan(int[] lengths, int maxBatchSize, int maxBatchTokens) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        List<int[]> batches = new ArrayList<>();
        int i = 0;
        while (i < order.length) {
            int j = i;
            int tokens = 0;
            while (j < order.length && j - i < maxBatchSize && (j == i || tokens + lengths[order[j]] <= maxBatchTokens)) {
                tokens += lengths[order[j]];
                j++;
            }
            int[] batch = new int[j - i];
            for (int b = i; b < j; b++) {
                batch[b - i] = order[b];
            }
            batches.add(batch);
            i = j;
        }
        return batches;
    }
}

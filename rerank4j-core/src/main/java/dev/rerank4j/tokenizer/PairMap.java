package dev.rerank4j.tokenizer;

/** Open-addressing map from a pair of non-negative ints to a long, for BPE merge lookups without boxing. */
final class PairMap {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;

    PairMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        mask = cap - 1;
        java.util.Arrays.fill(keys, EMPTY);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    void put(int a, int b, long value) {
        long k = key(a, b);
        int i = hash(k) & mask;
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = value;
    }

    /** The value for the pair, or -1. */
    long get(int a, int b) {
        long k = key(a, b);
        int i = hash(k) & mask;
        while (true) {
            long stored = keys[i];
            if (stored == k) {
                return values[i];
            }
            if (stored == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }
}

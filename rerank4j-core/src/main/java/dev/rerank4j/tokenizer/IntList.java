package dev.rerank4j.tokenizer;

import java.util.Arrays;

/** A growable int array; the tokenizer's hot path avoids boxing. */
final class IntList {
    private int[] a;
    private int n;

    IntList(int capacity) {
        a = new int[Math.max(capacity, 4)];
    }

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    void add(int v0, int v1, int v2) {
        if (n + 3 > a.length) {
            a = Arrays.copyOf(a, Math.max(n * 2, n + 3));
        }
        a[n] = v0;
        a[n + 1] = v1;
        a[n + 2] = v2;
        n += 3;
    }

    int get(int i) {
        return a[i];
    }

    int size() {
        return n;
    }

    void clear() {
        n = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}

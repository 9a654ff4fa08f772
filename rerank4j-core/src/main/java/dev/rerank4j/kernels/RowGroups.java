package dev.rerank4j.kernels;

/**
 * Consecutive rows of an activation matrix that share one quantization: group g is rows
 * {@code [starts[g], starts[g + 1])}. A sequence's tokens form one group, as when ONNX Runtime runs that sequence
 * alone; so a row's result never depends on the other sequences of its batch.
 */
public record RowGroups(int[] starts) {
    public RowGroups {
        if (starts.length < 1 || starts[0] != 0) {
            throw new IllegalArgumentException("group starts must begin with 0");
        }
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] < starts[i - 1]) {
                throw new IllegalArgumentException("group starts must not decrease");
            }
        }
        starts = starts.clone();
    }

    /** Every row its own group. */
    public static RowGroups eachRow(int rows) {
        int[] s = new int[rows + 1];
        for (int i = 0; i <= rows; i++) {
            s[i] = i;
        }
        return new RowGroups(s);
    }

    public int count() {
        return starts.length - 1;
    }

    public int rows() {
        return starts[starts.length - 1];
    }

    public int start(int g) {
        return starts[g];
    }

    public int end(int g) {
        return starts[g + 1];
    }
}

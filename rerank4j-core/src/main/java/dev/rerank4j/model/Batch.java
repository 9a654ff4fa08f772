package dev.rerank4j.model;

/**
 * Token sequences run together without padding: the dense layers see all {@code totalTokens} rows at once,
 * attention stays inside each sequence. {@code starts[s]} is the first row of sequence s; {@code starts[n]}
 * equals totalTokens.
 */
public record Batch(int[] ids, int[] typeIds, int[] starts) {

    public static Batch of(int[][] ids, int[][] typeIds) {
        int n = ids.length;
        int[] starts = new int[n + 1];
        for (int s = 0; s < n; s++) {
            if (ids[s].length == 0) {
                throw new IllegalArgumentException("sequence " + s + " is empty");
            }
            if (typeIds != null && typeIds[s].length != ids[s].length) {
                throw new IllegalArgumentException("sequence " + s + " has " + ids[s].length + " ids but "
                        + typeIds[s].length + " token type ids");
            }
            starts[s + 1] = starts[s] + ids[s].length;
        }
        int[] flatIds = new int[starts[n]];
        int[] flatTypes = new int[starts[n]];
        for (int s = 0; s < n; s++) {
            System.arraycopy(ids[s], 0, flatIds, starts[s], ids[s].length);
            if (typeIds != null) {
                System.arraycopy(typeIds[s], 0, flatTypes, starts[s], typeIds[s].length);
            }
        }
        return new Batch(flatIds, flatTypes, starts);
    }

    public int size() {
        return starts.length - 1;
    }

    public int totalTokens() {
        return starts[starts.length - 1];
    }

    public int start(int s) {
        return starts[s];
    }

    public int length(int s) {
        return starts[s + 1] - starts[s];
    }

    public int maxLength() {
        int max = 0;
        for (int s = 0; s < size(); s++) {
            max = Math.max(max, length(s));
        }
        return max;
    }
}

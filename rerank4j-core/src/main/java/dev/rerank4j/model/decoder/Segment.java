package dev.rerank4j.model.decoder;

/** One sequence of a batch: tokens that continue a cached prefix (empty for a whole prompt). */
public record Segment(KvCache past, int[] ids) {
    public Segment {
        if (ids.length == 0) {
            throw new IllegalArgumentException("a segment needs at least one new token (its last one is scored)");
        }
    }

    public static Segment whole(int[] ids) {
        return new Segment(KvCache.EMPTY, ids);
    }

    int positions() {
        return past.length() + ids.length;
    }
}

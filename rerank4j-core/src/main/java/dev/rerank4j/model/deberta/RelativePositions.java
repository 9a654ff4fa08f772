package dev.rerank4j.model.deberta;

/**
 * Where DeBERTa looks up the relative position of query i and key j: the distance {@code i - j}, log-bucketed
 * beyond half the buckets, shifted by the attention span into a row of the relative embedding table.
 *
 * <p>The upstream function ({@code make_log_bucket_position}) evaluates its division, logarithms and ceiling in
 * float32 even when the model runs in float64; so does this one, because a ceiling is where a rounding difference
 * moves a distance into the next bucket.
 */
public final class RelativePositions {
    private final int buckets;
    private final int span;
    /** log((maxPosition - 1) / mid) in float32, the denominator of every log bucket. */
    private final float logRange;

    public RelativePositions(DebertaConfig cfg) {
        this(cfg.positionBuckets(), cfg.maxRelativePositions(), cfg.attentionSpan());
    }

    RelativePositions(int buckets, int maxPosition, int span) {
        this.buckets = buckets;
        this.span = span;
        int mid = buckets / 2;
        this.logRange = buckets > 0 ? (float) StrictMath.log((float) ((maxPosition - 1) / (double) mid)) : 0f;
    }

    /** The bucket of distance {@code r = i - j}: r itself up to half the buckets, then logarithmic, odd in r. */
    int bucket(int r) {
        int mid = buckets / 2;
        if (buckets <= 0 || Math.abs(r) <= mid) {
            return r;
        }
        float ratio = (float) Math.abs(r) / mid;
        float log = (float) StrictMath.log(ratio) / logRange;
        int b = (int) StrictMath.ceil(log * (mid - 1)) + mid;
        return r < 0 ? -b : b;
    }

    /** The row of the relative table for distance r; the same row serves c2p and p2c, the bucket being odd. */
    int index(int r) {
        return Math.clamp(bucket(r) + span, 0, 2 * span - 1);
    }

    /** {@code table[longest - 1 + r] = index(r)} for every distance r within a sequence of {@code longest} tokens. */
    public int[] indexTable(int longest) {
        int[] table = new int[Math.max(1, 2 * longest - 1)];
        for (int t = 0; t < table.length; t++) {
            table[t] = index(t - (longest - 1));
        }
        return table;
    }
}

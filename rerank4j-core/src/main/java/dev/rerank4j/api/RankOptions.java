package dev.rerank4j.api;

/**
 * @param topN how many results to return, best first; 0 returns all
 * @param returnDocuments include each document's text in its result
 */
public record RankOptions(int topN, boolean returnDocuments, ScoreOptions scoring) {
    public RankOptions {
        if (topN < 0) {
            throw new IllegalArgumentException("topN must be >= 0 (0: all), got " + topN);
        }
        java.util.Objects.requireNonNull(scoring, "scoring");
    }

    public static RankOptions defaults() {
        return new RankOptions(0, false, ScoreOptions.defaults());
    }

    public RankOptions withTopN(int n) {
        return new RankOptions(n, returnDocuments, scoring);
    }

    public RankOptions withReturnDocuments(boolean yes) {
        return new RankOptions(topN, yes, scoring);
    }

    public RankOptions withScoring(ScoreOptions s) {
        return new RankOptions(topN, returnDocuments, s);
    }

    /** See {@link ScoreOptions#withInstruction}. */
    public RankOptions withInstruction(String text) {
        return new RankOptions(topN, returnDocuments, scoring.withInstruction(text));
    }
}

package dev.rerank4j.eval;

import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.List;

/**
 * A cross-encoder through {@link Reranker#score}. Candidates are ordered by logit, not by sigmoid score: in double
 * precision sigmoid saturates to exactly 1.0 for large logits and would tie documents the model told apart.
 */
public final class RerankerScorer implements PairScorer {
    private final Reranker reranker;
    private final ScoreOptions options;

    public RerankerScorer(Reranker reranker, ScoreOptions options) {
        this.reranker = reranker;
        this.options = options;
    }

    @Override
    public String modelId() {
        return reranker.modelId();
    }

    @Override
    public Scores score(String query, List<String> documents) {
        List<PairScore> scores = reranker.score(documents.stream().map(d -> new TextPair(query, d)).toList(), options);
        double[] values = new double[scores.size()];
        long tokens = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i).logit();
            tokens += scores.get(i).tokens();
        }
        return new Scores(values, tokens);
    }

    @Override
    public void close() {
        reranker.close();
    }
}

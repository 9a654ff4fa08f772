package dev.rerank4j.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A LangChain4j {@link ScoringModel} that runs a rerank4j {@link Reranker} in-process, e.g. as the scoring model
 * of a {@code ReRankingContentAggregator}. Scores are the reranker's: sigmoid of the logit in [0, 1] for
 * cross-encoders, cosine similarity for bi-encoders. Token usage reports the tokens the model read.
 *
 * <pre>{@code
 * try (Rerank4jScoringModel model = Rerank4jScoringModel.load(Path.of("models/jina-reranker-v1-tiny-en"))) {
 *     ContentAggregator aggregator = new ReRankingContentAggregator(model);
 * }
 * }</pre>
 */
public final class Rerank4jScoringModel implements ScoringModel, AutoCloseable {
    private final Reranker reranker;
    private final ScoreOptions options;

    /** Wraps a reranker the caller owns; {@link #close()} closes it. */
    public Rerank4jScoringModel(Reranker reranker, ScoreOptions options) {
        this.reranker = Objects.requireNonNull(reranker, "reranker");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Loads a model directory (Hugging Face layout) with default engine and scoring options. */
    public static Rerank4jScoringModel load(Path modelDir) {
        return new Rerank4jScoringModel(Reranker.load(modelDir), ScoreOptions.defaults());
    }

    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        Objects.requireNonNull(query, "query");
        List<TextPair> pairs = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            pairs.add(new TextPair(query, s.text()));
        }
        List<PairScore> scores = reranker.score(pairs, options);
        List<Double> out = new ArrayList<>(scores.size());
        int tokens = 0;
        for (PairScore s : scores) {
            out.add(s.score());
            tokens += s.tokens();
        }
        return Response.from(out, new TokenUsage(tokens));
    }

    @Override
    public void close() {
        reranker.close();
    }
}

package dev.rerank4j.server;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/** The loaded model as the HTTP APIs see it: names, limits, and scoring through the batch scheduler. */
final class ModelService {
    private final Engine engine;
    private final Reranker reranker;
    private final BatchScheduler scheduler;
    private final ScoreOptions options;
    private final Set<String> names;
    private final int maxInputLength;

    ModelService(Engine engine, ServerConfig config, Metrics metrics) {
        this.engine = engine;
        this.reranker = engine.reranker();
        if (config.maxLength() > reranker.maxPositions()) {
            throw new IllegalArgumentException("max length " + config.maxLength() + " exceeds the "
                    + reranker.maxPositions() + " positions of " + engine.modelId());
        }
        this.options = ScoreOptions.defaults().withMaxLength(config.maxLength())
                .withLongDocuments(config.longDocuments()).withInstruction(config.instruction());
        this.maxInputLength = config.longDocuments() == LongDocuments.FULL ? reranker.maxPositions()
                : config.maxLength() == 0 ? reranker.defaultMaxLength() : config.maxLength();
        this.names = new LinkedHashSet<>();
        names.add(engine.modelId());
        names.addAll(config.modelAliases());
        this.scheduler = new BatchScheduler(reranker, metrics, config);
    }

    String modelId() {
        return engine.modelId();
    }

    List<String> aliases() {
        return List.copyOf(names).subList(1, names.size());
    }

    int maxInputLength() {
        return maxInputLength;
    }

    ScoreOptions options() {
        return options;
    }

    /** The server's options with the request's {@code instruction} when it has one (instruction-aware models). */
    ScoreOptions options(RequestFields request) {
        return request.optionalString("instruction").map(options::withInstruction).orElse(options);
    }

    String architecture() {
        return engine.architecture().name();
    }

    /**
     * Accepts a request's {@code model} when it names the served model or an alias; a Hub-style owner prefix
     * ({@code jinaai/...}) is ignored, so a client configured for the hosted API works unchanged.
     */
    void requireModel(String requested) {
        for (String name : names) {
            if (requested.equals(name) || lastSegment(requested).equals(lastSegment(name))) {
                return;
            }
        }
        throw ApiException.validation("model '" + requested + "' is not served here; this server serves "
                + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()));
    }

    private static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** Throws 429 at once when the scheduler's queue is full. */
    void requireRoom() {
        scheduler.requireRoom();
    }

    /** Scores every document against the query, batched with concurrent requests; scores in document order. */
    CompletableFuture<List<PairScore>> score(String query, List<String> documents, ScoreOptions scoring) {
        List<TextPair> pairs = new ArrayList<>(documents.size());
        long tokens = 0;
        for (String d : documents) {
            pairs.add(new TextPair(query, d));
            tokens += estimateTokens(query, d);
        }
        return scheduler.submit(pairs, scoring, (int) Math.min(Integer.MAX_VALUE, tokens));
    }

    /**
     * A cheap upper-bound-ish guess of a pair's tokens (about four characters a token, capped at the input
     * limit), used only to size batches; the engine's planner enforces the real token budget per forward pass.
     */
    private int estimateTokens(String query, String document) {
        long chars = (long) query.length() + document.length();
        return (int) Math.min(maxInputLength, chars / 4 + 4);
    }

    /** The document cut to its first {@code maxTokens} tokens, on a token boundary (Cohere's max_tokens_per_doc). */
    String truncateDocument(String document, int maxTokens) {
        Encoding e = engine.tokenizer().encode(document, false, Truncation.none());
        if (e.length() <= maxTokens) {
            return document;
        }
        return document.substring(0, e.offsets()[2 * (maxTokens - 1) + 1]);
    }

    /** Refuses (413) any pair longer than the input limit: TEI's behaviour with {@code truncate: false}. */
    void requireFits(String query, List<String> documents, String field) {
        for (int i = 0; i < documents.size(); i++) {
            int n = engine.tokenizer().encodePair(query, documents.get(i), Truncation.none()).length();
            if (n > maxInputLength) {
                throw ApiException.tooLarge("'query' with '" + field + "[" + i + "]' is " + n
                        + " tokens; the limit is " + maxInputLength + " (send \"truncate\": true to cut it)");
            }
        }
    }

    /** Indices of the documents best first (ties keep input order), at most {@code topN} (0: all). */
    static int[] order(List<PairScore> scores, int topN) {
        int n = topN == 0 ? scores.size() : Math.min(topN, scores.size());
        return IntStream.range(0, scores.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores.get(i).score()).thenComparingInt(i -> i))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /** Waits for queued requests (up to the timeout), then releases the engine's threads. */
    void close(java.time.Duration timeout) {
        scheduler.close(timeout);
        engine.close();
    }
}

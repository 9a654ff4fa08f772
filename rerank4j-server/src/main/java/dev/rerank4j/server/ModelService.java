package dev.rerank4j.server;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * One loaded model as the HTTP APIs see it: names, kind, limits, and scoring or embedding through its own
 * batch scheduler (so one model's queue never refuses another's requests).
 */
final class ModelService {
    /** Scores pairs with the given options; requests with equal options share a call. */
    private record Scoring(Reranker reranker, ScoreOptions options) implements BatchScheduler.Job<TextPair, PairScore> {
        @Override
        public List<PairScore> run(List<TextPair> inputs) {
            return reranker.score(inputs, options);
        }

        @Override
        public long tokens(List<PairScore> results) {
            return results.stream().mapToLong(PairScore::tokens).sum();
        }
    }

    /** A text's vector and the tokens the model read for it. */
    record Embedded(float[] vector, int tokens) {
    }

    private record Embedding(Embedder embedder, boolean normalize, int maxLength, Truncation.Direction direction)
            implements BatchScheduler.Job<String, Embedded> {
        @Override
        public List<Embedded> run(List<String> inputs) {
            float[][] vectors = embedder.embed(inputs, normalize, maxLength, direction);
            int[] tokens = embedder.tokenCounts(inputs, maxLength);
            List<Embedded> out = new ArrayList<>(inputs.size());
            for (int i = 0; i < vectors.length; i++) {
                out.add(new Embedded(vectors[i], tokens[i]));
            }
            return out;
        }

        @Override
        public long tokens(List<Embedded> results) {
            return results.stream().mapToLong(Embedded::tokens).sum();
        }
    }

    private final Engine engine;
    private final Reranker reranker;
    private final Embedder embedderOrNull;
    private final BatchScheduler scheduler;
    private final ScoreOptions options;
    private final Set<String> names;
    private final int maxInputLength;
    private final int embedMaxLength;

    ModelService(Engine engine, List<String> aliases, ServerConfig config, Metrics metrics) {
        this.engine = engine;
        this.reranker = engine.reranker();
        if (config.maxLength() > reranker.maxPositions()) {
            throw new IllegalArgumentException("max length " + config.maxLength() + " exceeds the "
                    + reranker.maxPositions() + " positions of " + engine.modelId());
        }
        this.embedderOrNull = engine.architecture().isCrossEncoder() ? null : engine.embedder();
        this.options = ScoreOptions.defaults().withMaxLength(config.maxLength())
                .withLongDocuments(config.longDocuments()).withInstruction(config.instruction());
        this.maxInputLength = config.longDocuments() == LongDocuments.FULL ? reranker.maxPositions()
                : config.maxLength() == 0 ? reranker.defaultMaxLength() : config.maxLength();
        this.embedMaxLength = config.maxLength() == 0 ? reranker.defaultMaxLength() : config.maxLength();
        this.names = new LinkedHashSet<>();
        names.add(engine.modelId());
        names.addAll(aliases);
        this.scheduler = new BatchScheduler(engine.modelId(), metrics.model(engine.modelId()), config);
    }

    String modelId() {
        return engine.modelId();
    }

    /** The id first, then the aliases. */
    Set<String> names() {
        return names;
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

    /**
     * {@link #options(RequestFields)} with Cohere's {@code max_chunks_per_doc}: the most windows of a document
     * scored when the server chunks long documents (it has no effect in the other modes, which read one).
     */
    ScoreOptions chunkedOptions(RequestFields request) {
        return options(request).withMaxChunks(request.positiveInt("max_chunks_per_doc"));
    }

    String architecture() {
        return engine.architecture().name();
    }

    boolean embeds() {
        return embedderOrNull != null;
    }

    /** What the model is, in the words the API's messages and /info use. */
    String kind() {
        return embeds() ? "embedding" : "reranker";
    }

    /** Vector size; only for embedding models. */
    int dimension() {
        return embedderOrNull.dimension();
    }

    /** Whether the model's own pipeline normalises its vectors (OpenAI's route follows it). */
    boolean normalizes() {
        return embedderOrNull.normalizes();
    }

    boolean full() {
        return scheduler.full();
    }

    /** Throws 429 at once when the queue is full. */
    void requireRoom() {
        scheduler.requireRoom();
    }

    /** Scores every document against the query, batched with concurrent requests; scores in document order. */
    CompletableFuture<List<PairScore>> score(String query, List<String> documents, ScoreOptions scoring) {
        List<TextPair> pairs = new ArrayList<>(documents.size());
        long tokens = 0;
        for (String d : documents) {
            pairs.add(new TextPair(query, d));
            tokens += estimateTokens(query.length() + (long) d.length());
        }
        return scheduler.submit(new Scoring(reranker, scoring), pairs, (int) Math.min(Integer.MAX_VALUE, tokens));
    }

    /** Embeds the texts (an embedding model only), batched with concurrent requests; results in text order. */
    CompletableFuture<List<Embedded>> embed(List<String> texts, boolean normalize, Truncation.Direction direction) {
        long tokens = texts.stream().mapToLong(t -> estimateTokens(t.length())).sum();
        return scheduler.submit(new Embedding(embedderOrNull, normalize, embedMaxLength, direction), texts,
                (int) Math.min(Integer.MAX_VALUE, tokens));
    }

    /**
     * A cheap guess of an input's tokens (about four characters a token, capped at the input limit), used only
     * to size batches; the engine's planner enforces the real token budget per forward pass.
     */
    private int estimateTokens(long chars) {
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

    /** Refuses (413) any text longer than the embedding limit: TEI's {@code /embed} with {@code truncate: false}. */
    void requireFits(List<String> texts, String field) {
        for (int i = 0; i < texts.size(); i++) {
            int n = engine.tokenizer().encode(texts.get(i), Truncation.none()).length();
            if (n > embedMaxLength) {
                throw ApiException.tooLarge("'" + field + (texts.size() > 1 ? "[" + i + "]" : "") + "' is " + n
                        + " tokens; the limit is " + embedMaxLength + " (send \"truncate\": true to cut it)");
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
    void close(Duration timeout) {
        scheduler.close(timeout);
        engine.close();
    }
}

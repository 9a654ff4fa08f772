package dev.rerank4j.server;

import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the pairs of concurrent requests into shared scoring calls. HTTP threads only enqueue; one scheduler
 * thread takes the oldest request, adds the following ones that use the same options while their estimated
 * tokens fit the budget, scores them in one call on the engine's compute threads, and hands each request its
 * slice. Admission is bounded: past {@code maxQueuedRequests} unanswered requests, or {@code maxQueuedTokens}
 * estimated tokens of them, {@link #submit} refuses with 429, so neither memory nor the wait grows with load.
 */
final class BatchScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

    /** One request's pairs, waiting to be scored. */
    private record Work(List<TextPair> pairs, ScoreOptions options, int tokens,
                        CompletableFuture<List<PairScore>> result) {
    }

    private final Reranker reranker;
    private final Metrics metrics;
    private final int batchTokens;
    private final long batchWaitNanos;
    private final int maxQueued;
    private final long maxQueuedTokens;
    private final Semaphore admission;
    private final LinkedBlockingDeque<Work> queue = new LinkedBlockingDeque<>();
    private final Object lock = new Object();
    private final Thread thread;
    private boolean closing;
    private long admittedTokens;

    BatchScheduler(Reranker reranker, Metrics metrics, ServerConfig config) {
        this.reranker = reranker;
        this.metrics = metrics;
        this.maxQueued = config.maxQueuedRequests();
        this.maxQueuedTokens = config.maxQueuedTokens();
        this.batchTokens = config.batchTokens();
        this.batchWaitNanos = config.batchWait().toNanos();
        this.admission = new Semaphore(maxQueued);
        metrics.gauges(queue::size, () -> maxQueued - admission.availablePermits());
        this.thread = Thread.ofPlatform().name("rerank4j-scheduler").start(this::run);
    }

    /**
     * Queues the pairs for scoring.
     *
     * @param tokens the pairs' estimated token count, for the batch budget
     * @throws ApiException 429 when the queue is full, 503 once shutdown began
     */
    CompletableFuture<List<PairScore>> submit(List<TextPair> pairs, ScoreOptions options, int tokens) {
        synchronized (lock) {
            if (closing) {
                throw new ApiException(ErrorType.UNAVAILABLE, "the server is shutting down");
            }
            // One request is always admitted into an idle queue, however large: the token bound limits waiting.
            if (admittedTokens > 0 && admittedTokens + tokens > maxQueuedTokens) {
                throw full();
            }
            if (!admission.tryAcquire()) {
                throw full();
            }
            admittedTokens += tokens;
            Work work = new Work(pairs, options, tokens, new CompletableFuture<>());
            queue.add(work);
            return work.result();
        }
    }

    /**
     * Refuses a request before its body is read when the queue is already full: past capacity, rejected
     * clients that retry at once must cost as little CPU as possible, or they starve the scoring.
     */
    void requireRoom() {
        if (admission.availablePermits() == 0) {
            throw full();
        }
    }

    // Room is given back before the answer goes out, so a client that sends its next request as soon as it
    // has one is never refused for its own previous request.
    private void complete(Work w, List<PairScore> scores) {
        release(w);
        w.result().complete(scores);
    }

    private void fail(Work w, Throwable e) {
        release(w);
        w.result().completeExceptionally(e);
    }

    private void release(Work w) {
        synchronized (lock) {
            admittedTokens -= w.tokens();
        }
        admission.release();
    }

    private ApiException full() {
        metrics.rejected();
        return new ApiException(ErrorType.OVERLOADED, "the queue is full (at most " + maxQueued
                + " requests or about " + maxQueuedTokens + " tokens wait); retry later");
    }

    private void run() {
        try {
            while (true) {
                Work first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (isClosing()) {
                        return;
                    }
                    continue;
                }
                score(collect(first));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first request and those after it that can share its scoring call. */
    private List<Work> collect(Work first) throws InterruptedException {
        List<Work> batch = new ArrayList<>();
        batch.add(first);
        int tokens = first.tokens();
        long deadline = System.nanoTime() + batchWaitNanos;
        while (tokens < batchTokens) {
            long remaining = isClosing() ? 0 : deadline - System.nanoTime();
            Work next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (!next.options().equals(first.options()) || tokens + next.tokens() > batchTokens) {
                queue.addFirst(next);
                break;
            }
            batch.add(next);
            tokens += next.tokens();
        }
        return batch;
    }

    private void score(List<Work> batch) {
        List<TextPair> pairs = new ArrayList<>();
        for (Work w : batch) {
            pairs.addAll(w.pairs());
        }
        List<PairScore> scores;
        try {
            scores = reranker.score(pairs, batch.get(0).options());
        } catch (RuntimeException | OutOfMemoryError e) {
            if (batch.size() > 1) {
                // Score each request alone, so one that cannot be scored fails only itself.
                batch.forEach(w -> score(List.of(w)));
            } else {
                LOG.error("scoring failed", e);
                fail(batch.get(0), e);
            }
            return;
        }
        metrics.batch(batch.size(), pairs.size(), scores.stream().mapToInt(PairScore::tokens).sum());
        int offset = 0;
        for (Work w : batch) {
            int n = w.pairs().size();
            complete(w, List.copyOf(scores.subList(offset, offset + n)));
            offset += n;
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    /** Refuses new work, scores what is queued (up to {@code timeout}), then fails whatever is left with 503. */
    void close(Duration timeout) {
        synchronized (lock) {
            closing = true;
        }
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        Work left;
        while ((left = queue.poll()) != null) {
            fail(left, new ApiException(ErrorType.UNAVAILABLE, "the server is shutting down"));
        }
    }
}

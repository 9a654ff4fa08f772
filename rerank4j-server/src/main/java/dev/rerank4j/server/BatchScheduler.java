package dev.rerank4j.server;

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
 * Merges the inputs of concurrent requests to one model into shared model calls. HTTP threads only enqueue; one
 * scheduler thread takes the oldest request, adds the following ones that run the same {@link Job} while their
 * estimated tokens fit the budget, runs them in one call on the engine's compute threads, and hands each request
 * its slice. Admission is bounded: past {@code maxQueuedRequests} unanswered requests, or {@code maxQueuedTokens}
 * estimated tokens of them, {@link #submit} refuses with 429, so neither memory nor the wait grows with load.
 */
final class BatchScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

    /**
     * What a model call does (score pairs, embed texts) with its options. Requests whose jobs are equal share
     * one call, so a job is a value: a record of the model and the options.
     *
     * @param <T> one input (a pair, a text)
     * @param <R> its result
     */
    interface Job<T, R> {
        /** One result per input, in input order. */
        List<R> run(List<T> inputs);

        /** Tokens the model read to produce these results. */
        long tokens(List<R> results);
    }

    /** One request's inputs, waiting for the model. */
    private record Work<T, R>(Job<T, R> job, List<T> inputs, int tokens, CompletableFuture<List<R>> result) {
    }

    private final String modelId;
    private final Metrics.ModelMetrics metrics;
    private final int batchTokens;
    private final long batchWaitNanos;
    private final int maxQueued;
    private final long maxQueuedTokens;
    private final Semaphore admission;
    private final LinkedBlockingDeque<Work<?, ?>> queue = new LinkedBlockingDeque<>();
    private final Object lock = new Object();
    private final Thread thread;
    private boolean closing;
    private long admittedTokens;

    BatchScheduler(String modelId, Metrics.ModelMetrics metrics, ServerConfig config) {
        this.modelId = modelId;
        this.metrics = metrics;
        this.maxQueued = config.maxQueuedRequests();
        this.maxQueuedTokens = config.maxQueuedTokens();
        this.batchTokens = config.batchTokens();
        this.batchWaitNanos = config.batchWait().toNanos();
        this.admission = new Semaphore(maxQueued);
        metrics.gauges(queue::size, () -> maxQueued - admission.availablePermits());
        this.thread = Thread.ofPlatform().name("rerank4j-scheduler-" + modelId).start(this::run);
    }

    /**
     * Queues the inputs for the model.
     *
     * @param tokens the inputs' estimated token count, for the batch budget
     * @throws ApiException 429 when the queue is full, 503 once shutdown began
     */
    <T, R> CompletableFuture<List<R>> submit(Job<T, R> job, List<T> inputs, int tokens) {
        synchronized (lock) {
            if (closing) {
                throw new ApiException(ErrorType.UNAVAILABLE, "the server is shutting down");
            }
            // One request is always admitted into an idle queue, however large: the token bound limits waiting.
            if (admittedTokens > 0 && admittedTokens + tokens > maxQueuedTokens) {
                throw refusal();
            }
            if (!admission.tryAcquire()) {
                throw refusal();
            }
            admittedTokens += tokens;
            Work<T, R> work = new Work<>(job, inputs, tokens, new CompletableFuture<>());
            queue.add(work);
            return work.result();
        }
    }

    /**
     * Refuses a request before its body is read when the queue is already full: past capacity, rejected
     * clients that retry at once must cost as little CPU as possible, or they starve the scoring.
     */
    void requireRoom() {
        if (full()) {
            throw refusal();
        }
    }

    boolean full() {
        return admission.availablePermits() == 0;
    }

    // Room is given back before the answer goes out, so a client that sends its next request as soon as it
    // has one is never refused for its own previous request.
    private <T, R> void complete(Work<T, R> w, List<R> results) {
        release(w);
        w.result().complete(results);
    }

    private void fail(Work<?, ?> w, Throwable e) {
        release(w);
        w.result().completeExceptionally(e);
    }

    private void release(Work<?, ?> w) {
        synchronized (lock) {
            admittedTokens -= w.tokens();
        }
        admission.release();
    }

    private ApiException refusal() {
        metrics.rejected();
        return new ApiException(ErrorType.OVERLOADED, "the queue is full for model '" + modelId + "' (at most "
                + maxQueued + " requests or about " + maxQueuedTokens + " tokens wait); retry later");
    }

    private void run() {
        try {
            while (true) {
                Work<?, ?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (isClosing()) {
                        return;
                    }
                    continue;
                }
                execute(collect(first));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first request and those after it that can share its scoring call. */
    private List<Work<?, ?>> collect(Work<?, ?> first) throws InterruptedException {
        List<Work<?, ?>> batch = new ArrayList<>();
        batch.add(first);
        int tokens = first.tokens();
        long deadline = System.nanoTime() + batchWaitNanos;
        while (tokens < batchTokens) {
            long remaining = isClosing() ? 0 : deadline - System.nanoTime();
            Work<?, ?> next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (!next.job().equals(first.job()) || tokens + next.tokens() > batchTokens) {
                queue.addFirst(next);
                break;
            }
            batch.add(next);
            tokens += next.tokens();
        }
        return batch;
    }

    // Every request in a batch has an equal job, hence the same input and result types.
    @SuppressWarnings("unchecked")
    private <T, R> void execute(List<Work<?, ?>> untyped) {
        List<Work<T, R>> batch = (List<Work<T, R>>) (List<?>) untyped;
        List<T> inputs = new ArrayList<>();
        for (Work<T, R> w : batch) {
            inputs.addAll(w.inputs());
        }
        Job<T, R> job = batch.get(0).job();
        List<R> results;
        try {
            results = job.run(inputs);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (batch.size() > 1) {
                // Run each request alone, so one that cannot be run fails only itself.
                batch.forEach(w -> execute(List.of(w)));
            } else {
                LOG.error("model '{}' failed", modelId, e);
                fail(batch.get(0), e);
            }
            return;
        }
        metrics.batch(batch.size(), inputs.size(), job.tokens(results));
        int offset = 0;
        for (Work<T, R> w : batch) {
            int n = w.inputs().size();
            complete(w, List.copyOf(results.subList(offset, offset + n)));
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
        Work<?, ?> left;
        while ((left = queue.poll()) != null) {
            fail(left, new ApiException(ErrorType.UNAVAILABLE, "the server is shutting down"));
        }
    }
}

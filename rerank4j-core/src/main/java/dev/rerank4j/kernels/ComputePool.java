package dev.rerank4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fixed set of compute threads a model runs its kernels on: the calling thread plus {@code threads - 1}
 * workers of its own, never a shared pool, so that an application's parallel streams neither steal from nor
 * starve inference.
 *
 * <p>A forward pass is a sequence of short parallel steps (a small batch's matrix multiply takes ~0.2 ms), so
 * the hand-off is built for latency: the caller works on the step itself instead of waiting for a woken thread,
 * chunks are claimed from a shared counter (a thread the OS preempts simply claims fewer), and idle workers spin
 * briefly for the next step before parking. Waking parked pool threads for every step cost a quarter of the
 * time of small matrix multiplies.
 */
public final class ComputePool implements AutoCloseable {

    /** Work over a half-open range of indices, run by one thread. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Chunks per thread. More than one, so that when the OS takes a core away for a while (a busy machine) the
     * other threads claim the waiting chunks instead of idling until the last one is done.
     */
    private static final int GRAIN = 4;
    /** How long an idle worker polls for the next step before parking: longer than the gaps inside a pass. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock submit = new ReentrantLock();
    /** The current step, or null between steps; workers watch it. */
    private final AtomicReference<Step> current = new AtomicReference<>();
    private volatile boolean closed;

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("rerank4j-compute-" + (i + 1)).unstarted(this::work);
            workers[i].start();
        }
    }

    public static ComputePool ofAvailableProcessors() {
        return new ComputePool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Splits [0, n) into at most {@code threads * GRAIN} contiguous chunks and runs them in parallel; returns
     * when all are done, rethrowing the first exception a chunk threw. Chunks never split below
     * {@code minChunk} indices, so small jobs stay on one thread. Steps from different callers run one at a time;
     * a step started from inside a step runs inline.
     */
    public void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads * GRAIN, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks == 1 || workers.length == 0 || submit.isHeldByCurrentThread() || isWorker()) {
            body.run(0, n);
            return;
        }
        if (closed) {
            throw new IllegalStateException("compute pool is closed");
        }
        submit.lock();
        try {
            Step step = new Step(n, chunks, body);
            current.set(step);
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            step.help();
            step.awaitDone();
            current.set(null);
            step.rethrow();
        } finally {
            submit.unlock();
        }
    }

    private boolean isWorker() {
        Thread t = Thread.currentThread();
        for (Thread w : workers) {
            if (w == t) {
                return true;
            }
        }
        return false;
    }

    private void work() {
        Step last = null;
        while (!closed) {
            Step s = current.get();
            if (s != null && s != last) {
                s.help();
                last = s;
                continue;
            }
            long until = System.nanoTime() + SPIN_NANOS;
            while (current.get() == s && !closed && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (current.get() == s && !closed) {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One parallel step: chunks claimed from a counter, a count of those still running, the first failure. */
    private static final class Step {
        private final int n;
        private final int chunks;
        private final RangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unfinished;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Step(int n, int chunks, RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.unfinished = new AtomicInteger(chunks);
        }

        void help() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) {
                        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (unfinished.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Spins while the last chunks are likely to finish soon, then parks until the last one unparks it. */
        void awaitDone() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (unfinished.get() > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            while (unfinished.get() > 0) {
                LockSupport.park(this);
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}

package dev.rerank4j.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The fixed set of compute threads a model runs its kernels on. One per engine, never the common pool, so
 * that an application's own parallel streams neither steal from nor starve inference.
 */
public final class ComputePool implements AutoCloseable {

    /** Work over a half-open range of indices, run by one thread. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * Chunks per thread. More than one, so that when the OS takes a core away for a while (a busy machine) the
     * other threads steal the waiting chunks instead of idling until the last one is done.
     */
    private static final int GRAIN = 4;

    private final ForkJoinPool pool;
    private final int threads;

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("rerank4j-compute-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    public static ComputePool ofAvailableProcessors() {
        return new ComputePool(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Splits [0, n) into at most {@code threads * GRAIN} contiguous chunks and runs them in parallel; returns
     * when all are done. Chunks never split below {@code minChunk} indices, so small jobs stay on one thread.
     */
    public void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads * GRAIN, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks == 1 || pool == null) {
            body.run(0, n);
            return;
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            body.run(0, n); // already inside a compute task: nested parallelism would only add overhead
            return;
        }
        List<RecursiveAction> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(start, end);
                }
            });
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}

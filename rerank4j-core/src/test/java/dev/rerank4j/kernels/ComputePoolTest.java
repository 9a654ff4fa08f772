package dev.rerank4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {

    @Test
    void everyIndexRunsExactlyOnceOnSeveralThreads() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int n : new int[] {1, 2, 11, 12, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int rep = 0; rep < 200; rep++) {
                    pool.forRange(n, 1, (s, e) -> {
                        for (int i = s; i < e; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertThat(hits.get(i)).as("index %d of %d", i, n).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void workersTakeChunksOfALongStep() {
        try (ComputePool pool = new ComputePool(3)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            // Chunks of 2 ms: the caller alone would need 24 ms, far longer than a parked worker takes to wake.
            pool.forRange(12, 1, (s, e) -> {
                threads.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(threads).as("threads that ran chunks").contains("rerank4j-compute-1", "rerank4j-compute-2");
        }
    }

    @Test
    void minChunkKeepsSmallJobsOnTheCaller() {
        try (ComputePool pool = new ComputePool(2)) {
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            pool.forRange(15, 16, (s, e) -> threads.add(Thread.currentThread()));
            assertThat(threads).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void aChunksExceptionReachesTheCallerAndThePoolStaysUsable() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.forRange(64, 1, (s, e) -> {
                if (s <= 40 && 40 < e) {
                    throw new IllegalStateException("chunk with index 40 failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk with index 40 failed");
            long[] sum = new long[1];
            pool.forRange(100, 1, (s, e) -> {
                long local = 0;
                for (int i = s; i < e; i++) {
                    local += i;
                }
                synchronized (sum) {
                    sum[0] += local;
                }
            });
            assertThat(sum[0]).isEqualTo(4950);
        }
    }

    @Test
    void aNestedStepRunsInlineOnTheThreadThatAskedForIt() {
        try (ComputePool pool = new ComputePool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(8 * 8);
            pool.forRange(8, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    int row = i;
                    Thread outer = Thread.currentThread();
                    pool.forRange(8, 1, (s2, e2) -> {
                        assertThat(Thread.currentThread()).isSameAs(outer);
                        for (int j = s2; j < e2; j++) {
                            hits.incrementAndGet(row * 8 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < 64; i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (ComputePool pool = new ComputePool(2)) {
            List<Future<Long>> sums = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int n = 1000 * (c + 1);
                sums.add(callers.submit(() -> {
                    long total = 0;
                    for (int rep = 0; rep < 50; rep++) {
                        long[] sum = new long[1];
                        pool.forRange(n, 1, (s, e) -> {
                            long local = 0;
                            for (int i = s; i < e; i++) {
                                local += i;
                            }
                            synchronized (sum) {
                                sum[0] += local;
                            }
                        });
                        total += sum[0];
                    }
                    return total;
                }));
            }
            for (int c = 0; c < 4; c++) {
                long n = 1000L * (c + 1);
                assertThat(sums.get(c).get()).isEqualTo(50 * n * (n - 1) / 2);
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void aClosedPoolRefusesParallelWork() {
        ComputePool pool = new ComputePool(2);
        pool.close();
        assertThatThrownBy(() -> pool.forRange(100, 1, (s, e) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}

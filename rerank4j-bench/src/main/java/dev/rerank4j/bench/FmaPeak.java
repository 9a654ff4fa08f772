package dev.rerank4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The host's fp32 FMA peak as the JVM reaches it: {@code peak/fma_peak.c}'s twelve independent chains, written with
 * the Vector API at the preferred width, on 1 thread and then on all the given threads at once, next to which the
 * kernels' GFLOP/s read as a share of what the JIT can issue. Each chain is its FMA's addend ({@code acc =
 * x.fma(y, acc)}, one {@code vfmadd231ps}): made the multiplicand instead, C2 copies the addend into a fresh
 * register before every FMA and spills chains, and the probe reads a quarter lower.
 *
 * <p>Usage: {@code FmaPeak [threads=2] [rounds=5]}.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final long STEPS = 100_000_000L;

    private FmaPeak() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int i = 0; i < 200; i++) { // many short calls, so that C2 compiles the method whole, not just the loop
            chains(STEPS / 10_000);
        }
        double[] one = new double[rounds];
        double[] all = new double[rounds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = 0; r < rounds; r++) {
                one[r] = timed(pool, 1);
                all[r] = timed(pool, threads);
                System.out.printf("round %d: 1 thread %.1f GFLOP/s, %d threads %.1f GFLOP/s%n", r, one[r], threads,
                        all[r]);
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("%d-bit vectors: 1 thread median %.1f GFLOP/s, %d threads median %.1f GFLOP/s%n",
                S.vectorBitSize(), Stats.median(one), threads, Stats.median(all));
    }

    private static double timed(ExecutorService pool, int threads) throws Exception {
        List<Future<Float>> runs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            runs.add(pool.submit(() -> chains(STEPS)));
        }
        float sum = 0;
        for (Future<Float> f : runs) {
            sum += f.get();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (Float.isNaN(sum)) { // never (the chains stay finite): the test keeps their results live
            throw new AssertionError("FMA chains gave NaN");
        }
        return threads * STEPS * CHAINS * 2.0 * S.length() / secs / 1e9;
    }

    /** Returns a lane of the sum so that the JIT cannot drop the chains. */
    private static float chains(long steps) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f);
        FloatVector y = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        for (long i = 0; i < steps; i++) {
            c0 = x.fma(y, c0);
            c1 = x.fma(y, c1);
            c2 = x.fma(y, c2);
            c3 = x.fma(y, c3);
            c4 = x.fma(y, c4);
            c5 = x.fma(y, c5);
            c6 = x.fma(y, c6);
            c7 = x.fma(y, c7);
            c8 = x.fma(y, c8);
            c9 = x.fma(y, c9);
            c10 = x.fma(y, c10);
            c11 = x.fma(y, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }
}

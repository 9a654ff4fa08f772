package dev.rerank4j.bench;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.PackedMatrix;
import java.util.Random;

/**
 * Attention GFLOP/s next to the matrix multiply's, in one run, rounds alternating: 12 heads of 32 (the tiny JinaBERT
 * and MiniLM shape) with ALiBi, sequences of 128, 512 and 2,048 tokens, 4,096 tokens per pass (32, 8 and 2
 * sequences), one (head, sequence) per task as the encoder runs it; the GEMM at the same pass's feed-forward shape
 * (M 4,096, K 384, N 1,536). Attention counts {@code 4 · len² · 384} FLOP per sequence (scores and weighted values).
 *
 * <p>Usage: {@code AttentionComparison [ROUNDS=7] [THREADS=2]}.
 */
public final class AttentionComparison {
    private static final int HEADS = 12;
    private static final int HEAD_DIM = 32;
    private static final int HIDDEN = HEADS * HEAD_DIM;
    private static final int TOKENS = 4096;
    private static final int[] LENGTHS = {128, 512, 2048};
    private static final double ROUND_SECONDS = 0.4;

    private AttentionComparison() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Kernels k = KernelsProvider.choose();
        Random random = new Random(1);
        float[] qkv = GemmComparison.randomFloats(random, TOKENS * 3 * HIDDEN);
        float[] out = new float[TOKENS * HIDDEN];
        PackedMatrix w = k.pack(GemmComparison.matrix(GemmComparison.randomFloats(random, 1536 * HIDDEN), 1536, HIDDEN));
        float[] c = new float[TOKENS * 1536];
        try (ComputePool pool = new ComputePool(threads)) {
            Runnable gemm = () -> k.matmul(qkv, TOKENS, w, null, Activation.IDENTITY, c, pool);
            double gemmFlop = 2.0 * TOKENS * HIDDEN * 1536;
            Runnable[] attention = new Runnable[LENGTHS.length];
            double[] attentionFlop = new double[LENGTHS.length];
            for (int l = 0; l < LENGTHS.length; l++) {
                int len = LENGTHS[l];
                int n = TOKENS / len;
                attention[l] = () -> pool.forRange(n * HEADS, 1, (t0, t1) -> {
                    for (int t = t0; t < t1; t++) {
                        int h = t / n;
                        k.attention(qkv, out, (t % n) * len, len, len, HEADS, HEAD_DIM, h, 0.5f / (h + 1));
                    }
                });
                attentionFlop[l] = 4.0 * len * len * HIDDEN * n;
            }
            int gemmIters = iterations(gemm);
            int[] attentionIters = new int[LENGTHS.length];
            for (int l = 0; l < LENGTHS.length; l++) {
                attentionIters[l] = iterations(attention[l]);
            }
            double[][] gemmRate = new double[2][rounds];
            double[][][] rate = new double[LENGTHS.length][2][rounds];
            for (int r = 0; r < rounds; r++) {
                measure(gemm, gemmIters, gemmFlop, gemmRate, r);
                for (int l = 0; l < LENGTHS.length; l++) {
                    measure(attention[l], attentionIters[l], attentionFlop[l], rate[l], r);
                }
            }
            double g = Stats.median(gemmRate[0]);
            double gCpu = Stats.median(gemmRate[1]);
            System.out.printf("kernels %s, %d threads, median of %d alternating rounds of ~%.1f s each; GFLOP/s of wall"
                    + " time and GFLOP per CPU-second (the steadier figure on a shared machine)%n", k.name(), threads,
                    rounds, ROUND_SECONDS);
            System.out.printf("GEMM 4096x384x1536          %6.1f GFLOP/s (min %.1f, max %.1f), %6.1f per CPU-second%n", g,
                    Stats.percentile(gemmRate[0], 0), Stats.percentile(gemmRate[0], 100), gCpu);
            for (int l = 0; l < LENGTHS.length; l++) {
                double a = Stats.median(rate[l][0]);
                double aCpu = Stats.median(rate[l][1]);
                System.out.printf("attention %4d tokens x %2d  %6.1f GFLOP/s (min %.1f, max %.1f), %6.1f per CPU-second;"
                        + " %3.0f%% of the GEMM (%3.0f%% per CPU-second)%n", LENGTHS[l], TOKENS / LENGTHS[l], a,
                        Stats.percentile(rate[l][0], 0), Stats.percentile(rate[l][0], 100), aCpu, 100 * a / g,
                        100 * aCpu / gCpu);
            }
        }
    }

    /** Warms the code up and returns how many calls fill about one round at the rate of the warm-up. */
    private static int iterations(Runnable body) {
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < 1e9) {
            body.run();
            calls++;
        }
        double perCall = (System.nanoTime() - t0) / 1e9 / calls;
        return Math.max(1, (int) (ROUND_SECONDS / perCall));
    }

    /** Round r's GFLOP/s (rates[0]) and GFLOP per CPU-second (rates[1]). */
    private static void measure(Runnable body, int iters, double flop, double[][] rates, int r) {
        long c0 = Stats.processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            body.run();
        }
        rates[0][r] = flop * iters / (System.nanoTime() - t0);
        rates[1][r] = flop * iters / (Stats.processCpuNanos() - c0);
    }
}

package dev.rerank4j.bench;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Int8Kernels;
import dev.rerank4j.kernels.Int8KernelsProvider;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.QuantizedMatrix;
import dev.rerank4j.kernels.RowGroups;
import dev.rerank4j.model.layers.WeightQuantizer;
import java.util.Random;

/**
 * The int8 matrix multiply (activation quantization included, as a model runs it: one group per 128-row
 * sequence) next to the fp32 one, shape by shape and turn by turn in one process. GOPS and GFLOP/s both count
 * 2·M·K·N per multiply; median of the rounds.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'rerank4j-bench/target/classes:rerank4j-bench/target/lib/*'
 * dev.rerank4j.bench.Int8GemmComparison [threads] [rounds]}
 */
public final class Int8GemmComparison {
    private static final int[] MS = {512, 1024, 4096};
    private static final int[][] KNS = {{384, 1152}, {384, 384}, {384, 1536}, {1536, 384}};
    private static final int SEQUENCE = 128;

    private Int8GemmComparison() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Kernels fp32 = KernelsProvider.choose();
        Int8Kernels int8 = Int8KernelsProvider.choose();
        try (ComputePool pool = new ComputePool(threads)) {
            System.out.printf("%d threads; fp32: %s; int8: %s; median of %d rounds; 'cores' = process CPU / wall%n",
                    threads, fp32.name(), int8.name(), rounds);
            System.out.printf("%6s %6s %6s %12s %6s %10s %6s %7s%n", "M", "K", "N", "fp32 GFLOP/s", "cores",
                    "int8 GOPS", "cores", "ratio");
            for (int m : MS) {
                for (int[] kn : KNS) {
                    double[] f = GemmComparison.measure(fp32, pool, m, kn[0], kn[1], rounds);
                    double[] q = measure(int8, pool, m, kn[0], kn[1], rounds);
                    System.out.printf("%6d %6d %6d %12.1f %6.2f %10.1f %6.2f %7.2f%n", m, kn[0], kn[1], f[0], f[1],
                            q[0], q[1], q[0] / f[0]);
                }
            }
        }
    }

    /** Median GOPS and median cores used over the rounds. */
    static double[] measure(Int8Kernels kernels, ComputePool pool, int m, int k, int n, int rounds) {
        Random random = new Random(m * 31L + k * 7L + n);
        float[] a = GemmComparison.randomFloats(random, m * k);
        QuantizedMatrix w = kernels.pack(WeightQuantizer.perRowSymmetric(
                GemmComparison.matrix(GemmComparison.randomFloats(random, n * k), n, k)));
        int[] starts = new int[Math.ceilDiv(m, SEQUENCE) + 1];
        for (int s = 0; s < starts.length; s++) {
            starts[s] = Math.min(m, s * SEQUENCE);
        }
        RowGroups groups = new RowGroups(starts);
        float[] c = new float[m * n];
        int iters = Math.max(1, (int) (0.25 * 50e9 / (2.0 * m * k * n)));
        for (int i = 0; i < iters; i++) {
            kernels.matmul(a, groups, w, null, Activation.IDENTITY, c, pool); // warm-up and JIT
        }
        double[] rates = new double[rounds];
        double[] cores = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = Stats.processCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                kernels.matmul(a, groups, w, null, Activation.IDENTITY, c, pool);
            }
            long wall = System.nanoTime() - t0;
            rates[r] = 2.0 * m * k * n * iters / wall;
            cores[r] = (double) (Stats.processCpuNanos() - c0) / wall;
        }
        return new double[] {Stats.median(rates), Stats.median(cores)};
    }
}

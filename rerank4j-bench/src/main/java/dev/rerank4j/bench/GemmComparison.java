package dev.rerank4j.bench;

import dev.rerank4j.kernels.Activation;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * rerank4j's matrix multiply next to OpenBLAS sgemm (numpy's, in a python3 child process kept alive for the
 * whole run), shape by shape and turn by turn, so both see the same machine load. GFLOP/s = 2·M·K·N / time,
 * median of the timed rounds.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp 'rerank4j-bench/target/classes:rerank4j-bench/target/lib/*'
 * dev.rerank4j.bench.GemmComparison [threads] [rounds]}
 */
public final class GemmComparison {
    private static final int[] MS = {128, 512, 1024, 4096};
    private static final int[][] KNS = {{384, 1152}, {384, 384}, {384, 1536}, {1536, 384}, {384, 3072}, {3072, 384}};
    /** Seconds of work per timed round. */
    private static final double ROUND_SECONDS = 0.25;

    private static final String NUMPY_LOOP = String.join("\n",
            "import sys, time, numpy as np",
            "for line in sys.stdin:",
            "    m, k, n, rounds = map(int, line.split())",
            "    a = np.random.rand(m, k).astype(np.float32); b = np.random.rand(k, n).astype(np.float32)",
            "    a @ b",
            "    iters = max(1, int(%f * 100e9 / (2.0 * m * k * n)))" .formatted(ROUND_SECONDS),
            "    rates = []; cores = []",
            "    for r in range(rounds):",
            "        t = time.perf_counter(); c = time.process_time()",
            "        for i in range(iters): a @ b",
            "        wall = time.perf_counter() - t",
            "        rates.append(2.0 * m * k * n * iters / wall / 1e9); cores.append((time.process_time() - c) / wall)",
            "    rates.sort(); cores.sort(); print(rates[len(rates) // 2], cores[len(cores) // 2], flush=True)");

    private GemmComparison() {
    }

    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Kernels kernels = KernelsProvider.choose();
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", NUMPY_LOOP).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        Process numpy = pb.start();
        try (PrintWriter toNumpy = new PrintWriter(numpy.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader fromNumpy = new BufferedReader(new InputStreamReader(numpy.getInputStream(),
                        StandardCharsets.UTF_8));
                ComputePool pool = new ComputePool(threads)) {
            System.out.printf("%d threads, %s; median of %d rounds of ~%.2f s each, GFLOP/s; 'cores' = process CPU"
                    + " time / wall time (what the machine gave each side)%n", threads, kernels.name(), rounds,
                    ROUND_SECONDS);
            System.out.printf("%6s %6s %6s %10s %6s %10s %6s %7s%n", "M", "K", "N", "rerank4j", "cores", "OpenBLAS",
                    "cores", "ratio");
            for (int m : MS) {
                for (int[] kn : KNS) {
                    double[] ours = measure(kernels, pool, m, kn[0], kn[1], rounds);
                    toNumpy.printf("%d %d %d %d%n", m, kn[0], kn[1], rounds);
                    String[] reply = fromNumpy.readLine().trim().split(" ");
                    double blas = Double.parseDouble(reply[0]);
                    System.out.printf("%6d %6d %6d %10.1f %6.2f %10.1f %6.2f %7.2f%n", m, kn[0], kn[1], ours[0], ours[1],
                            blas, Double.parseDouble(reply[1]), ours[0] / blas);
                }
            }
        } finally {
            numpy.destroy();
        }
    }

    /** Median GFLOP/s and median cores used over the rounds. */
    static double[] measure(Kernels kernels, ComputePool pool, int m, int k, int n, int rounds) {
        Random random = new Random(m * 31L + k * 7L + n);
        float[] a = randomFloats(random, m * k);
        PackedMatrix w = kernels.pack(matrix(randomFloats(random, n * k), n, k));
        float[] c = new float[m * n];
        int iters = Math.max(1, (int) (ROUND_SECONDS * 100e9 / (2.0 * m * k * n)));
        for (int i = 0; i < iters; i++) {
            kernels.matmul(a, m, w, null, Activation.IDENTITY, c, pool); // warm-up and JIT
        }
        double[] rates = new double[rounds];
        double[] cores = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long c0 = Stats.processCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                kernels.matmul(a, m, w, null, Activation.IDENTITY, c, pool);
            }
            long wall = System.nanoTime() - t0;
            rates[r] = 2.0 * m * k * n * iters / wall;
            cores[r] = (double) (Stats.processCpuNanos() - c0) / wall;
        }
        return new double[] {Stats.median(rates), Stats.median(cores)};
    }

    static float[] randomFloats(Random random, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = random.nextFloat() - 0.5f;
        }
        return f;
    }

    static Tensor matrix(float[] values, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Tensor.of("w", DType.F32, new int[] {rows, cols}, b);
    }
}

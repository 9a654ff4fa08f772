package dev.rerank4j.bench;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.DecoderKernels;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * BF16 weights widened inside the multiply against the same weights packed as fp32 panels, on Qwen3-0.6B's four
 * layer shapes (fused q/k/v, o, fused gate/up, down) with M rows: what keeping the weights in 16 bits costs or
 * gains in speed. Alternating rounds; wall time and process CPU time per multiply (the machine may be shared).
 *
 * <p>Usage: {@code Bf16GemmComparison [M] [threads] [rounds]}.
 */
public final class Bf16GemmComparison {
    private Bf16GemmComparison() {
    }

    public static void main(String[] args) {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int[][] shapes = {{4096, 1024}, {1024, 2048}, {6144, 1024}, {1024, 3072}};
        String[] names = {"q|k|v", "o", "gate|up", "down"};
        Kernels base = KernelsProvider.choose();
        DecoderKernels dk = DecoderKernels.forKernels(base);
        SplittableRandom random = new SplittableRandom(1);
        try (ComputePool pool = new ComputePool(threads)) {
            for (int s = 0; s < shapes.length; s++) {
                int n = shapes[s][0];
                int k = shapes[s][1];
                Tensor w = bf16(n, k, random);
                PackedMatrix half = dk.pack(w);
                PackedMatrix full = base.pack(w);
                float[] a = new float[m * k];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (random.nextDouble() * 2 - 1);
                }
                float[] c = new float[m * n];
                double flops = 2.0 * m * n * k;
                double[] halfCpu = new double[rounds];
                double[] fullCpu = new double[rounds];
                double[] halfWall = new double[rounds];
                double[] fullWall = new double[rounds];
                for (int warm = 0; warm < 3; warm++) {
                    dk.matmul(a, m, half, c, pool);
                    dk.matmul(a, m, full, c, pool);
                }
                for (int r = 0; r < rounds; r++) {
                    long c0 = Stats.processCpuNanos();
                    long t0 = System.nanoTime();
                    dk.matmul(a, m, half, c, pool);
                    halfWall[r] = (System.nanoTime() - t0) / 1e9;
                    halfCpu[r] = (Stats.processCpuNanos() - c0) / 1e9;
                    c0 = Stats.processCpuNanos();
                    t0 = System.nanoTime();
                    dk.matmul(a, m, full, c, pool);
                    fullWall[r] = (System.nanoTime() - t0) / 1e9;
                    fullCpu[r] = (Stats.processCpuNanos() - c0) / 1e9;
                }
                System.out.printf("%-8s M=%d N=%d K=%d: BF16 %.1f GFLOP/s wall, %.1f per CPU-s; fp32 panels %.1f wall, "
                        + "%.1f per CPU-s; BF16/fp32 CPU-time ratio %.2f; weights %d vs %d MiB%n", names[s], m, n, k,
                        flops / Stats.median(halfWall) / 1e9, flops / Stats.median(halfCpu) / 1e9,
                        flops / Stats.median(fullWall) / 1e9, flops / Stats.median(fullCpu) / 1e9,
                        Stats.median(halfCpu) / Stats.median(fullCpu), (2L * n * k) >> 20, (4L * n * k) >> 20);
            }
        }
    }

    private static Tensor bf16(int n, int k, SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(2 * n * k).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * k; i++) {
            float v = (float) ((random.nextDouble() * 2 - 1) * 0.035);
            b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        return Tensor.of("w", DType.BF16, new int[] {n, k}, b.flip());
    }
}

package dev.rerank4j.bench;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * How the cost of ModernBERT's local (sliding-window) layers grows with the input, at gte-reranker-modernbert-base's
 * shape: two random-weight models, one with a single (global) layer and one with that layer followed by K local
 * layers, run on one sequence of N tokens; {@code (time(1 + K) - time(1)) / K} is one local layer. Its time per
 * token should not depend on N (the window is fixed), while the global layer's grows with N. Rounds alternate the
 * two models so that a change in the machine's load hits both; the process's CPU time is reported beside the wall
 * time, as on a shared machine it is the steadier measure of the work done.
 *
 * <p>Usage: {@code ModernBertLocalScaling TOKENIZER_DIR [K] [rounds] [threads] [lengths...]}, TOKENIZER_DIR being
 * testdata/models/modernbert-mini.
 */
public final class ModernBertLocalScaling {
    private ModernBertLocalScaling() {
    }

    public static void main(String[] args) throws Exception {
        Path mini = Path.of(args[0]);
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        int[] lengths = {1024, 2048, 4096, 8192};
        if (args.length > 4) {
            lengths = new int[args.length - 4];
            for (int i = 4; i < args.length; i++) {
                lengths[i - 4] = Integer.parseInt(args[i]);
            }
        }
        run(mini, k, rounds, threads, lengths, System.out);
    }

    static void run(Path mini, int k, int rounds, int threads, int[] lengths, PrintStream out) throws Exception {
        Path scratch = Files.createTempDirectory("rerank4j-modernbert-scaling-");
        Kernels kernels = KernelsProvider.choose();
        try (ComputePool pool = new ComputePool(threads)) {
            // global_attn_every_n_layers larger than the layer count: layer 0 is global, every other one local
            Model one = Model.load(
                    ModernBertBaseModel.write(scratch.resolve("one"), mini, 1, 1_000_000, 1), kernels);
            Model more = Model.load(
                    ModernBertBaseModel.write(scratch.resolve("more"), mini, 1 + k, 1_000_000, 1), kernels);
            out.printf("kernels %s, threads %d; models: 1 global layer, and 1 global + %d local layers (768 hidden, "
                    + "12 heads, GeGLU 1152, window 128); median of %d alternating rounds%n", kernels.name(), threads,
                    k, rounds);
            Random random = new Random(5);
            Batch warm = batch(512, random);
            for (int i = 0; i < 3; i++) {
                one.hiddenStates(warm, pool);
                more.hiddenStates(warm, pool);
            }
            out.printf("%8s %12s %12s %14s %14s %16s %16s %16s%n", "tokens", "1 layer s", (1 + k) + " layers s",
                    "1 layer cpu s", (1 + k) + " layers cpu s", "local us/token", "local cpu us/tok",
                    "global us/token");
            for (int n : lengths) {
                Batch b = batch(n, random);
                double[][] one1 = new double[2][rounds];
                double[][] moreK = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    time(one, b, pool, one1, r);
                    time(more, b, pool, moreK, r);
                }
                double global = Stats.median(one1[0]);
                double local = (Stats.median(moreK[0]) - global) / k;
                double localCpu = (Stats.median(moreK[1]) - Stats.median(one1[1])) / k;
                out.printf("%8d %12.3f %12.3f %14.3f %14.3f %16.1f %16.1f %16.1f%n", n, global, Stats.median(moreK[0]),
                        Stats.median(one1[1]), Stats.median(moreK[1]), local / n * 1e6, localCpu / n * 1e6,
                        global / n * 1e6);
            }
        } finally {
            try (var s = Files.walk(scratch)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** One sequence of n random token ids below GPT-2's 50257 (what the tokenizer produces for text). */
    private static Batch batch(int n, Random random) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(50257);
        }
        return Batch.of(new int[][] {ids}, null);
    }

    /** Wall and process CPU seconds of one forward pass into {@code into[0][round]} and {@code into[1][round]}. */
    private static void time(Model m, Batch b, ComputePool pool, double[][] into, int round) {
        long c0 = Stats.processCpuNanos();
        long t0 = System.nanoTime();
        m.hiddenStates(b, pool);
        into[0][round] = (System.nanoTime() - t0) / 1e9;
        into[1][round] = (Stats.processCpuNanos() - c0) / 1e9;
    }
}

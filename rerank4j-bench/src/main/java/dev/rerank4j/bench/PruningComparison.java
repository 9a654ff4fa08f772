package dev.rerank4j.bench;

import dev.rerank4j.api.TextPair;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The last-layer pruning of CLS-headed cross-encoders, measured side by side in one JVM: {@link Model#logits} (the
 * last layer for the first token only) against {@link Model#logitsWithoutPruning} (every token), rounds alternating,
 * at jina-reranker-v1-tiny-en's shape (4 layers) and at ms-marco-MiniLM-L-6-v2's (6 layers), random weights, on the
 * same SciFact pairs tokenized once, truncated at 512 tokens, length-sorted into batches as {@code Reranker.score}
 * plans them. Also checks that both modes give the same bits.
 *
 * <p>Usage: {@code PruningComparison SCIFACT_DIR [PAIRS=128] [ROUNDS=5] [THREADS=2] [BATCH=32]}, from the repository
 * root.
 */
public final class PruningComparison {
    private PruningComparison() {
    }

    private record Subject(String name, Model model, List<Batch> batches, long tokens) {
    }

    public static void main(String[] args) throws IOException {
        Path scifact = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        List<TextPair> all = BeirPairs.load(scifact);
        List<TextPair> pairs = all.subList(0, Math.min(n, all.size()));
        Path scratch = Files.createTempDirectory("rerank4j-pruning-");
        try (ComputePool pool = new ComputePool(threads)) {
            Path bundled = new BundledMiniLm(scratch.resolve("cache")).resolve().directory();
            Subject[] subjects = {
                subject("jina-reranker-v1-tiny-en shape", TinyJinaModel.write(scratch.resolve("tiny"),
                        Path.of("testdata/models/jinabert-mini"), 42), pairs, batchSize),
                subject("ms-marco-MiniLM-L-6-v2 shape", MiniLmCrossEncoderModel.write(scratch.resolve("minilm"),
                        bundled, 42), pairs, batchSize)};
            System.out.printf("%d SciFact pairs at <= 512 tokens, length-sorted batches of %d, %d threads, kernels %s;"
                    + " %d alternating rounds after 2 warm-up rounds%n", pairs.size(), batchSize, threads,
                    subjects[0].model().kernels().name(), rounds);
            String[] modes = {"pruned (default)", "full last layer"};
            for (Subject x : subjects) {
                for (int warm = 0; warm < 2; warm++) {
                    run(x, true, pool);
                    run(x, false, pool);
                }
                double[][] secs = new double[2][rounds];
                double[][] cpu = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int m = 0; m < 2; m++) {
                        long c0 = Stats.processCpuNanos();
                        long t0 = System.nanoTime();
                        run(x, m == 0, pool);
                        secs[m][r] = (System.nanoTime() - t0) / 1e9;
                        cpu[m][r] = (Stats.processCpuNanos() - c0) / 1e9;
                    }
                }
                boolean same = Arrays.equals(run(x, true, pool), run(x, false, pool));
                double[] rate = new double[2];
                double[] perCpu = new double[2];
                for (int m = 0; m < 2; m++) {
                    rate[m] = pairs.size() / Stats.median(secs[m]);
                    perCpu[m] = pairs.size() / Stats.median(cpu[m]);
                    System.out.printf("%-32s %-17s %6.1f pairs/s %7.0f tokens/s (median of %d; min %.2f s, max %.2f"
                            + " s), %.1f pairs per CPU-second%n", x.name(), modes[m], rate[m],
                            rate[m] * x.tokens() / pairs.size(), rounds, Stats.percentile(secs[m], 0),
                            Stats.percentile(secs[m], 100), perCpu[m]);
                }
                System.out.printf("%-32s pruned / full: %.3fx (per CPU-second %.3fx); logits the same bits: %s%n",
                        x.name(), rate[0] / rate[1], perCpu[0] / perCpu[1], same);
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Every batch's logits, one after the other. */
    private static float[] run(Subject x, boolean pruned, ComputePool pool) {
        float[] out = new float[0];
        for (Batch b : x.batches()) {
            float[] logits = pruned ? x.model().logits(b, pool) : x.model().logitsWithoutPruning(b, pool);
            out = Arrays.copyOf(out, out.length + logits.length);
            System.arraycopy(logits, 0, out, out.length - logits.length, logits.length);
        }
        return out;
    }

    private static Subject subject(String name, Path dir, List<TextPair> pairs, int batchSize) {
        Model model = Model.load(dir, KernelsProvider.choose());
        Tokenizer tokenizer = Tokenizer.load(dir);
        List<Encoding> enc = new ArrayList<>();
        for (TextPair p : pairs) {
            enc.add(tokenizer.encodePair(p.query(), p.document(), Truncation.longestFirst(512)));
        }
        List<Encoding> sorted = enc.stream().sorted(Comparator.comparingInt(Encoding::length).reversed()).toList();
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += batchSize) {
            List<Encoding> b = sorted.subList(i, Math.min(sorted.size(), i + batchSize));
            batches.add(Batch.of(b.stream().map(Encoding::ids).toArray(int[][]::new),
                    b.stream().map(Encoding::typeIds).toArray(int[][]::new)));
        }
        return new Subject(name, model, batches, enc.stream().mapToLong(Encoding::length).sum());
    }
}

package dev.rerank4j.bench;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Forward-pass GFLOP/s at two shapes in one run, rounds alternating: jina-reranker-v1-tiny-en's (384 hidden,
 * 4 layers) and bge-reranker-base's (768 hidden, 12 layers, XLM-R), both with random weights, end to end
 * through {@link Reranker#score} on the same SciFact pairs.
 *
 * <p>Usage: {@code ShapeComparison SCIFACT_DIR [PAIRS=128] [ROUNDS=5] [THREADS=2]}, from the repository root.
 */
public final class ShapeComparison {
    private ShapeComparison() {
    }

    /** One model under test: its reranker, FLOP count and the token lengths it reads. */
    private record Subject(String name, Engine engine, Reranker reranker, Flops flops, int[] lengths) {
    }

    public static void main(String[] args) throws IOException {
        Path scifact = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<TextPair> all = BeirPairs.load(scifact);
        List<TextPair> pairs = all.subList(0, Math.min(n, all.size()));
        ScoreOptions so = ScoreOptions.defaults().withMaxLength(512).withBatchSize(32);
        Path scratch = Files.createTempDirectory("rerank4j-shapes-");
        try {
            Subject[] subjects = {
                subject("jina-reranker-v1-tiny-en shape", TinyJinaModel.write(scratch.resolve("tiny"),
                        Path.of("testdata/models/jinabert-mini"), 42), threads, pairs, so),
                subject("bge-reranker-base shape", BgeRerankerBaseModel.write(scratch.resolve("base"),
                        Path.of("testdata/models/xlmr-mini"), 42), threads, pairs, so)};
            System.out.printf("%d SciFact pairs at <= 512 tokens, batches of 32, %d threads, kernels %s; %d alternating"
                    + " rounds; cores = process CPU time / wall time; per-core = GFLOP per CPU-second (what the run"
                    + " got, spinning and JIT included)%n", pairs.size(), threads,
                    subjects[0].engine().model().kernels().name(), rounds);
            double[][] secs = new double[subjects.length][rounds];
            double[][] cpu = new double[subjects.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < subjects.length; s++) {
                    Subject x = subjects[s];
                    long c0 = Stats.processCpuNanos();
                    long t0 = System.nanoTime();
                    x.reranker().score(pairs, so);
                    secs[s][r] = (System.nanoTime() - t0) / 1e9;
                    cpu[s][r] = (Stats.processCpuNanos() - c0) / 1e9;
                    double work = x.flops().sequences(x.lengths());
                    System.out.printf("round %d %-32s %6.1f GFLOP/s, %.2f s, %.2f cores, %.1f GFLOP/s per core%n", r + 1,
                            x.name(), work / secs[s][r] / 1e9, secs[s][r], cpu[s][r] / secs[s][r],
                            work / cpu[s][r] / 1e9);
                }
            }
            for (int s = 0; s < subjects.length; s++) {
                Subject x = subjects[s];
                double work = x.flops().sequences(x.lengths());
                double median = Stats.median(secs[s]);
                System.out.printf("median %-31s %6.1f GFLOP/s, %.2f s per round, %.1f pairs/s, %d tokens, %.1f GFLOP"
                        + " per CPU-second%n", x.name(), work / median / 1e9, median, pairs.size() / median,
                        Arrays.stream(x.lengths()).sum(), work / Stats.median(cpu[s]) / 1e9);
                x.reranker().close();
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Loads the model and warms the JIT up on the first 16 pairs; the lengths are the pairs' as scored. */
    private static Subject subject(String name, Path dir, int threads, List<TextPair> pairs, ScoreOptions so) {
        Engine engine = Engine.load(dir, new EngineOptions(threads, 16_384));
        Reranker r = engine.reranker();
        r.score(pairs.subList(0, Math.min(16, pairs.size())), so);
        Truncation t = Truncation.longestFirst(so.maxLength());
        int[] lengths = pairs.stream().mapToInt(p -> engine.tokenizer().encodePair(p.query(), p.document(), t).length())
                .toArray();
        return new Subject(name, engine, r, Flops.of(engine.model()), lengths);
    }
}

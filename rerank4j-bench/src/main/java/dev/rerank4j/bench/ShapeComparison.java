package dev.rerank4j.bench;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            double[][] secs = new double[subjects.length][rounds];
            double[][] cores = new double[subjects.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < subjects.length; s++) {
                    long c0 = Stats.processCpuNanos();
                    long t0 = System.nanoTime();
                    subjects[s].reranker().score(pairs, so);
                    secs[s][r] = (System.nanoTime() - t0) / 1e9;
                    cores[s][r] = (Stats.processCpuNanos() - c0) / 1e9 / secs[s][r];
                }
            }
            System.out.printf("%d SciFact pairs at <= 512 tokens, batches of 32, %d threads, kernels %s; median of %d"
                    + " alternating rounds; cores = process CPU time / wall time%n", pairs.size(), threads,
                    subjects[0].engine().model().kernels().name(), rounds);
            for (int s = 0; s < subjects.length; s++) {
                Subject x = subjects[s];
                double work = x.flops().sequences(x.lengths());
                double median = Stats.median(secs[s]);
                System.out.printf("%-32s %6.1f GFLOP/s (min %.1f, max %.1f), %.2f s per round, %.1f pairs/s, "
                        + "%d tokens, %.2f cores%n", x.name(), work / median / 1e9,
                        work / Stats.percentile(secs[s], 100) / 1e9, work / Stats.percentile(secs[s], 0) / 1e9,
                        median, pairs.size() / median, java.util.Arrays.stream(x.lengths()).sum(),
                        Stats.median(cores[s]));
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

    /** Loads the model and runs the pairs once (the JIT warm-up; also what gives the token lengths). */
    private static Subject subject(String name, Path dir, int threads, List<TextPair> pairs, ScoreOptions so) {
        Engine engine = Engine.load(dir, new EngineOptions(threads, 16_384));
        Reranker r = engine.reranker();
        int[] lengths = r.score(pairs, so).stream().mapToInt(PairScore::tokens).toArray();
        return new Subject(name, engine, r, Flops.of(engine.model()), lengths);
    }
}

package dev.rerank4j.bench;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.kernels.PackedMatrix;
import dev.rerank4j.model.deberta.DebertaConfig;
import dev.rerank4j.model.deberta.DebertaEncoder;
import dev.rerank4j.model.deberta.RelativePositions;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * mxbai-rerank-xsmall-v1's shape (DeBERTa-v3) next to jina-reranker-v1-tiny-en's (JinaBERT), both random
 * weights, on the same BEIR pairs through the public API, rounds alternating; then how much of the DeBERTa
 * forward pass the relative-position terms take: its attention kernel against the plain one on the same
 * sequences, heads and layers.
 *
 * <p>Usage: {@code DebertaComparison SCIFACT_DIR [pairs=128] [rounds=5] [threads=2] [batch=32]}, from the
 * repository root (the generated models borrow the fixtures' tokenizers from testdata/models).
 */
public final class DebertaComparison {
    private static final int MAX_LENGTH = 512;

    private DebertaComparison() {
    }

    /** One model under test, with what it needs to report. */
    private record Shape(String name, Reranker reranker, Flops flops, double[] secs, double[] cpuSecs) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        List<TextPair> all = BeirPairs.load(data);
        List<TextPair> pairs = all.subList(0, Math.min(limit, all.size()));
        Path scratch = Files.createTempDirectory("rerank4j-deberta-bench-");
        try {
            Path jina = TinyJinaModel.write(scratch.resolve("jina"), Path.of("testdata/models/jinabert-mini"), 42);
            Path deberta = XsmallDebertaModel.write(scratch.resolve("deberta"),
                    Path.of("testdata/models/deberta-v3-mini"), 42);
            EngineOptions eo = new EngineOptions(threads, 16_384);
            try (Engine je = Engine.load(jina, eo); Engine de = Engine.load(deberta, eo)) {
                ScoreOptions so = ScoreOptions.defaults().withMaxLength(MAX_LENGTH).withBatchSize(batch);
                Shape[] shapes = {
                    new Shape("jina-reranker-v1-tiny-en shape (JinaBERT, 384 hidden, 12 heads, 4 layers)",
                            je.reranker(), Flops.of(je.model()), new double[rounds], new double[rounds]),
                    new Shape("mxbai-rerank-xsmall-v1 shape (DeBERTa-v3, 384 hidden, 6 heads, 12 layers)",
                            de.reranker(), Flops.of(de.model()), new double[rounds], new double[rounds])};
                System.out.printf("%d SciFact pairs, max length %d, batches of %d, %d threads, kernels %s%n",
                        pairs.size(), MAX_LENGTH, batch, threads, de.model().kernels().name());
                int[][] lengths = new int[shapes.length][];
                for (int s = 0; s < shapes.length; s++) { // also the warm-up
                    lengths[s] = shapes[s].reranker().score(pairs, so).stream().mapToInt(PairScore::tokens).toArray();
                }
                for (int r = 0; r < rounds; r++) {
                    for (Shape sh : shapes) {
                        long c0 = Stats.processCpuNanos();
                        long t0 = System.nanoTime();
                        sh.reranker().score(pairs, so);
                        sh.secs()[r] = (System.nanoTime() - t0) / 1e9;
                        sh.cpuSecs()[r] = (Stats.processCpuNanos() - c0) / 1e9;
                        System.out.printf("round %d, %s: %.2f s, %.2f CPU s%n", r, sh.name(), sh.secs()[r],
                                sh.cpuSecs()[r]);
                    }
                }
                for (int s = 0; s < shapes.length; s++) {
                    Shape sh = shapes[s];
                    long tokens = 0;
                    for (int len : lengths[s]) {
                        tokens += len;
                    }
                    double med = Stats.median(sh.secs());
                    double work = sh.flops().sequences(lengths[s]);
                    // per CPU-second: what the work costs in core time, whatever share of the cores the machine
                    // gave us; times the threads, the rate with them to ourselves
                    double cpu = Stats.median(sh.cpuSecs());
                    System.out.printf("%s: %d tokens, %.2f GFLOP, median of %d rounds %.3f s (min %.3f, max %.3f): "
                            + "%.2f pairs/s, %.0f tokens/s, %.1f GFLOP/s; %.2f CPU s: %.1f GFLOP per CPU-second "
                            + "(x %d threads = %.1f GFLOP/s)%n", sh.name(), tokens, work / 1e9, rounds, med,
                            Stats.percentile(sh.secs(), 0), Stats.percentile(sh.secs(), 100), pairs.size() / med,
                            tokens / med, work / med / 1e9, cpu, work / cpu / 1e9, threads, threads * work / cpu / 1e9);
                }
                relativeShare(de, lengths[1], batch, threads, rounds, Stats.median(shapes[1].cpuSecs()),
                        shapes[1].flops());
            }
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Times every layer's attention of the DeBERTa run twice, on random inputs of the same lengths in the same
     * batches: with the relative terms (the model's kernel) and without (the plain attention kernel). Times are
     * process CPU seconds, comparable with the forward pass's on a machine whose cores are shared.
     */
    private static void relativeShare(Engine de, int[] lengths, int batch, int threads, int rounds, double forwardCpu,
            Flops flops) {
        DebertaConfig cfg = ((DebertaEncoder) de.model()).config();
        Kernels k = de.model().kernels();
        int heads = cfg.numHeads();
        int d = cfg.headDim();
        int positions = 2 * cfg.attentionSpan();
        Random rnd = new Random(3);
        PackedMatrix[] pk = new PackedMatrix[heads];
        PackedMatrix[] pq = new PackedMatrix[heads];
        for (int h = 0; h < heads; h++) {
            pk[h] = k.pack(tensor(rnd, positions, d));
            pq[h] = k.pack(tensor(rnd, positions, d));
        }
        int[] relIndex = new RelativePositions(cfg).indexTable(MAX_LENGTH);
        float scale = 1f / (float) Math.sqrt(3f * d);
        float[] qkv = new float[batch * MAX_LENGTH * 3 * cfg.hiddenSize()];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) rnd.nextGaussian();
        }
        float[] out = new float[batch * MAX_LENGTH * cfg.hiddenSize()];
        double[] withTerms = new double[rounds];
        double[] plain = new double[rounds];
        try (ComputePool pool = new ComputePool(threads)) {
            for (int r = -1; r < rounds; r++) { // round -1 warms both kernels up
                double a = 0;
                double b = 0;
                for (int b0 = 0; b0 < lengths.length; b0 += batch) {
                    int[] lens = java.util.Arrays.copyOfRange(lengths, b0, Math.min(lengths.length, b0 + batch));
                    int[] starts = new int[lens.length + 1];
                    for (int s = 0; s < lens.length; s++) {
                        starts[s + 1] = starts[s] + lens[s];
                    }
                    int n = lens.length;
                    for (int layer = 0; layer < cfg.numLayers(); layer++) {
                        long t0 = Stats.processCpuNanos();
                        pool.forRange(n * heads, 1, (t0s, t1s) -> {
                            for (int t = t0s; t < t1s; t++) {
                                int h = t / n;
                                int s = t % n;
                                k.relativeAttention(qkv, out, starts[s], lens[s], lens[s], heads, d, h, pk[h], pq[h], relIndex,
                                        MAX_LENGTH - 1, scale);
                            }
                        });
                        long t1 = Stats.processCpuNanos();
                        pool.forRange(n * heads, 1, (t0s, t1s) -> {
                            for (int t = t0s; t < t1s; t++) {
                                k.attention(qkv, out, starts[t % n], lens[t % n], lens[t % n], heads, d, t / n, 0f);
                            }
                        });
                        long t2 = Stats.processCpuNanos();
                        a += (t1 - t0) / 1e9;
                        b += (t2 - t1) / 1e9;
                    }
                }
                if (r >= 0) {
                    withTerms[r] = a;
                    plain[r] = b;
                }
            }
        }
        double rel = Stats.median(withTerms);
        double base = Stats.median(plain);
        double relFlops = 0;
        for (int len : lengths) {
            relFlops += cfg.numLayers() * flops.pairTerms(len);
        }
        System.out.printf("DeBERTa attention per run (median of %d, CPU seconds): %.3f with relative terms, %.3f "
                + "plain (same lengths, heads, layers); the relative terms take %.3f = %.0f%% of the forward pass's "
                + "%.3f (tokenization included), attention in all %.0f%%; attention kernel %.1f GFLOP per "
                + "CPU-second counting all four pair products%n", rounds, rel, base, rel - base,
                100 * (rel - base) / forwardCpu, forwardCpu, 100 * rel / forwardCpu, relFlops / rel / 1e9);
    }

    private static Tensor tensor(Random rnd, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            b.putFloat((float) rnd.nextGaussian());
        }
        return Tensor.of("relative", DType.F32, new int[] {rows, cols}, b.flip());
    }
}

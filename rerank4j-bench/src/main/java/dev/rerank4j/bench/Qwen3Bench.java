package dev.rerank4j.bench;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.model.decoder.DecoderConfig;
import dev.rerank4j.model.decoder.DecoderModel;
import dev.rerank4j.model.decoder.KvCache;
import dev.rerank4j.model.decoder.RerankPrompt;
import dev.rerank4j.model.decoder.Segment;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speed of a Qwen3-Reranker-0.6B-shaped model (random BF16 weights, see {@link Qwen3ShapeModel}): tokens/s and
 * GFLOP/s on SciFact (query, abstract) prompts with distinct queries (nothing shared), peak memory, and one query
 * with 20 documents scored with and without its shared prompt prefix.
 *
 * <p>Usage: {@code Qwen3Bench MODEL_DIR TOKENIZER_FROM SCIFACT_DIR [threads] [batch] [reps] [prompts]
 * [max length of the 20 prompts] [vocab] [parts]}; the model is written into MODEL_DIR when it has no weights yet,
 * with an embedding table of {@code vocab} rows (default the real model's 151,936); parts is {@code all} (the
 * default), {@code throughput} (the distinct-query prompts only) or {@code sharing} (the 20 documents only), so
 * that each measurement fits in a short run.
 */
public final class Qwen3Bench {
    private Qwen3Bench() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path tokenizerFrom = Path.of(args[1]);
        Path scifact = Path.of(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        int prompts = args.length > 6 ? Integer.parseInt(args[6]) : 32;
        int sharedMaxLength = args.length > 7 ? Integer.parseInt(args[7]) : RerankPrompt.DEFAULT_MAX_LENGTH;
        int vocab = args.length > 8 ? Integer.parseInt(args[8]) : Qwen3ShapeModel.VOCAB;
        String parts = args.length > 9 ? args[9] : "all";
        if (!List.of("all", "throughput", "sharing").contains(parts)) {
            throw new IllegalArgumentException("parts must be all, throughput or sharing, got " + parts);
        }
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            long t0 = System.nanoTime();
            Qwen3ShapeModel.write(dir, tokenizerFrom, vocab, 42);
            System.out.printf("model: random BF16 weights, Qwen3-Reranker-0.6B shape, %,d-token vocabulary (written "
                    + "in %.1f s)%n", vocab, seconds(t0));
        }
        run(dir, scifact, threads, batch, reps, prompts, sharedMaxLength, !parts.equals("sharing"),
                !parts.equals("throughput"), System.out);
    }

    static void run(Path dir, Path scifact, int threads, int batch, int reps, int prompts, int sharedMaxLength,
            boolean throughput, boolean sharing, PrintStream out) {
        List<TextPair> all = BeirPairs.load(scifact);
        Map<String, TextPair> byQuery = new LinkedHashMap<>();
        for (TextPair p : all) {
            byQuery.putIfAbsent(p.query(), p);
        }
        List<TextPair> distinct = new ArrayList<>(byQuery.values()).subList(0, prompts);
        long l0 = System.nanoTime();
        try (Engine engine = Engine.load(dir, new EngineOptions(threads, 16_384)); Reranker r = engine.reranker()) {
            DecoderModel m = (DecoderModel) engine.model();
            out.printf("loaded in %.1f s; kernels: %s; threads %d; vocabulary %,d; peak RSS after load %.0f MiB (max "
                    + "heap %d MiB)%n", seconds(l0), m.kernelsName(), threads, m.config().vocabSize(), Stats.peakRssMib(),
                    Runtime.getRuntime().maxMemory() >> 20);
            if (throughput) {
                throughput(r, m, distinct, batch, reps, out);
            }
            if (sharing) {
                try (ComputePool pool = new ComputePool(threads)) {
                    prefixSharing(engine, m, pool, all, reps, sharedMaxLength, out);
                }
            }
            out.printf("peak RSS %.0f MiB%n", Stats.peakRssMib());
        }
    }

    /** The distinct-query prompts scored through the reranker in batches: tokens/s and GFLOP/s. */
    private static void throughput(Reranker r, DecoderModel m, List<TextPair> distinct, int batch, int reps,
            PrintStream out) {
        int prompts = distinct.size();
        ScoreOptions so = ScoreOptions.defaults().withBatchSize(batch);
        r.score(distinct.subList(0, 1), so); // warm-up
        double[] secs = new double[reps];
        double[] cpu = new double[reps];
        int[] lengths = null;
        for (int i = 0; i < reps; i++) {
            long c0 = Stats.processCpuNanos();
            long t0 = System.nanoTime();
            lengths = r.score(distinct, so).stream().mapToInt(PairScore::tokens).toArray();
            secs[i] = seconds(t0);
            cpu[i] = (Stats.processCpuNanos() - c0) / 1e9;
        }
        long tokens = Arrays.stream(lengths).asLongStream().sum();
        double work = 0;
        for (int len : lengths) {
            work += flops(m.config(), 0, len);
        }
        double s = Stats.median(secs);
        out.printf("SciFact: %d prompts with distinct queries (%d tokens, %d to %d per prompt, batches of %d), "
                + "median of %d runs %.1f s (min %.1f, max %.1f): %.0f tokens/s, %.1f GFLOP/s; process CPU "
                + "%.1f s (%.2f cores busy): %.1f GFLOP per CPU-second%n", prompts,
                tokens, Arrays.stream(lengths).min().orElse(0), Arrays.stream(lengths).max().orElse(0), batch,
                reps, s, Stats.percentile(secs, 0), Stats.percentile(secs, 100), tokens / s, work / s / 1e9,
                Stats.median(cpu), Stats.median(cpu) / s, work / Stats.median(cpu) / 1e9);
    }

    /** One query, 20 abstracts: whole prompts in one batch, then the shared prefix once and the 20 continuations. */
    private static void prefixSharing(Engine engine, DecoderModel m, ComputePool pool, List<TextPair> all, int reps,
            int maxLength, PrintStream out) {
        String query = all.get(0).query();
        List<String> docs = new ArrayList<>();
        for (TextPair p : all) {
            if (docs.size() < 20 && !docs.contains(p.document())) {
                docs.add(p.document());
            }
        }
        RerankPrompt prompt = new RerankPrompt(engine.tokenizer());
        int[][] ids = new int[docs.size()][];
        List<Integer> group = new ArrayList<>();
        List<Segment> whole = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = prompt.encode(RerankPrompt.DEFAULT_INSTRUCTION, query, docs.get(i), maxLength);
            group.add(i);
            whole.add(Segment.whole(ids[i]));
        }
        int cut = ids[0].length - 1;
        for (int[] other : ids) {
            int j = 0;
            while (j < Math.min(cut, other.length - 1) && other[j] == ids[0][j]) {
                j++;
            }
            cut = j;
        }
        int total = Arrays.stream(ids).mapToInt(a -> a.length).sum();
        double[] plain = new double[reps];
        double[] shared = new double[reps];
        double[] plainCpu = new double[reps];
        double[] sharedCpu = new double[reps];
        float[] a = null;
        float[] b = null;
        m.lastLogits(whole.subList(0, 1), pool); // warm-up, when the throughput part did not run before
        for (int i = 0; i < reps; i++) {
            long c0 = Stats.processCpuNanos();
            long t0 = System.nanoTime();
            a = m.lastLogits(whole, pool);
            plain[i] = seconds(t0);
            plainCpu[i] = (Stats.processCpuNanos() - c0) / 1e9;
            c0 = Stats.processCpuNanos();
            t0 = System.nanoTime();
            KvCache prefix = m.prefill(Arrays.copyOf(ids[0], cut), pool);
            List<Segment> rest = new ArrayList<>();
            for (int[] p : ids) {
                rest.add(new Segment(prefix, Arrays.copyOfRange(p, cut, p.length)));
            }
            b = m.lastLogits(rest, pool);
            shared[i] = seconds(t0);
            sharedCpu[i] = (Stats.processCpuNanos() - c0) / 1e9;
        }
        out.printf("1 query x %d documents (%d prompt tokens, %d shared per prompt), median of %d alternating runs: "
                + "whole prompts %.2f s (CPU %.2f s), shared prefix %.2f s (CPU %.2f s): %.2fx wall, %.2fx CPU; "
                + "identical logits: %b%n", docs.size(), total, cut, reps, Stats.median(plain), Stats.median(plainCpu),
                Stats.median(shared), Stats.median(sharedCpu), Stats.median(plain) / Stats.median(shared),
                Stats.median(plainCpu) / Stats.median(sharedCpu), Arrays.equals(a, b));
    }

    /** Multiply-adds x 2 of the dense layers and attention for positions [from, to) of one sequence. */
    static double flops(DecoderConfig c, int from, int to) {
        double h = c.hiddenSize();
        double dense = 2 * (h * (c.qDim() + 2.0 * c.kvDim()) + c.qDim() * h + 3 * h * c.intermediateSize());
        double sum = 0;
        for (int p = from; p < to; p++) {
            sum += dense + 4.0 * (p + 1) * c.qDim();
        }
        return sum * c.numLayers();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

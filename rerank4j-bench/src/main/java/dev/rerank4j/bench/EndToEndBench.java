package dev.rerank4j.bench;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code rerank4j bench} measures, end to end through the public API (tokenization included): throughput
 * on a dataset's pairs, the latency of ranking a handful of short documents, and one very long pair.
 */
public final class EndToEndBench {

    /**
     * @param model model directory, or null for a random-weight model of the given shape
     * @param shape the random model's shape when model is null
     * @param tokenizerFrom where that random model borrows its tokenizer files
     * @param pairs BEIR-format dataset directory for the throughput run, or null to skip it
     * @param limit the dataset's first N judged pairs only, or 0 for all
     * @param longTokens length of the single long pair, or 0 to skip it
     * @param modes the quantization modes to measure; the throughput runs alternate between them, the card
     *     example and the long pair use the first
     */
    public record Options(Path model, RandomShape shape, Path tokenizerFrom, Path pairs, int limit, int threads,
            int batchSize, int maxLength, int reps, boolean card, int longTokens, List<Quantize> modes) {
        public Options {
            if (modes.isEmpty()) {
                throw new IllegalArgumentException("give at least one quantization mode");
            }
            modes = List.copyOf(modes);
        }
    }

    /** Random-weight stand-ins for released models, which cannot be downloaded here. */
    public enum RandomShape {
        /** jina-reranker-v1-tiny-en: JinaBERT, 384 hidden, 4 layers, F16. */
        TINY_JINA("jina-reranker-v1-tiny-en"),
        /** gte-reranker-modernbert-base: ModernBERT, 768 hidden, 22 layers, F32. */
        MODERNBERT_BASE("gte-reranker-modernbert-base");

        final String released;

        RandomShape(String released) {
            this.released = released;
        }

        Path write(Path dir, Path tokenizerFrom) {
            return this == TINY_JINA ? TinyJinaModel.write(dir, tokenizerFrom, 42)
                    : ModernBertBaseModel.write(dir, tokenizerFrom, ModernBertBaseModel.LAYERS, 3, 42);
        }
    }

    /** The query and documents of jina-reranker-v1-tiny-en's model card example. */
    static final String CARD_QUERY = "Organic skincare products for sensitive skin";
    static final List<String> CARD_DOCUMENTS = List.of(
            "Eco-friendly kitchenware for modern homes",
            "Biodegradable cleaning supplies for eco-conscious consumers",
            "Organic cotton baby clothes for sensitive skin",
            "Natural organic skincare range for sensitive skin",
            "Tech gadgets for smart homes: 2024 edition",
            "Sustainable gardening tools and compost solutions",
            "Sensitive skin-friendly facial cleansers and toners",
            "Organic food wraps and storage solutions",
            "All-natural pet food for dogs with allergies",
            "Yoga mats made from recycled materials");

    private EndToEndBench() {
    }

    public static void run(Options o, PrintStream out) {
        Path scratch = null;
        Path dir = o.model();
        if (dir == null) {
            scratch = tempDir();
            long t0 = System.nanoTime();
            dir = o.shape().write(scratch, o.tokenizerFrom());
            out.printf("model: random weights, %s shape (written in %.1f s)%n", o.shape().released, seconds(t0));
        }
        List<Engine> engines = new ArrayList<>();
        try {
            for (Quantize q : o.modes()) {
                engines.add(Engine.load(dir, new EngineOptions(o.threads(), 16_384, q)));
            }
            Engine engine = engines.get(0);
            Reranker r = engine.reranker();
            Flops flops = Flops.of(engine.model());
            out.printf("model dir: %s%nkernels: %s, threads: %d, quantize: %s%n", dir, engine.model().kernels().name(),
                    o.threads(), o.modes());
            if (o.pairs() != null) {
                List<TextPair> pairs = BeirPairs.load(o.pairs());
                throughput(engines, o.limit() > 0 ? pairs.subList(0, Math.min(o.limit(), pairs.size())) : pairs,
                        flops, o, out);
            }
            if (o.card()) {
                cardLatency(r, o, out);
            }
            if (o.longTokens() > 0) {
                longPair(engine, r, flops, o, out);
            }
        } finally {
            engines.forEach(Engine::close);
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    /**
     * Warm-up on the first 32 pairs (every kernel runs thousands of times), then the timed runs over all, the
     * engines (one per quantization mode) taking turns so that they share the machine's load.
     */
    private static void throughput(List<Engine> engines, List<TextPair> pairs, Flops flops, Options o,
            PrintStream out) {
        ScoreOptions so = ScoreOptions.defaults().withMaxLength(o.maxLength()).withBatchSize(o.batchSize());
        for (Engine e : engines) {
            e.reranker().score(pairs.subList(0, Math.min(32, pairs.size())), so);
        }
        Truncation truncation = Truncation.longestFirst(o.maxLength());
        int[] lengths = pairs.stream().mapToInt(p -> engines.get(0).tokenizer()
                .encodePair(p.query(), p.document(), truncation).length()).toArray();
        long tokens = 0;
        for (int len : lengths) {
            tokens += len;
        }
        double work = flops.sequences(lengths);
        double[][] secs = new double[engines.size()][o.reps()];
        double[][] cores = new double[engines.size()][o.reps()];
        for (int i = 0; i < o.reps(); i++) {
            for (int e = 0; e < engines.size(); e++) {
                long c0 = Stats.processCpuNanos();
                long t0 = System.nanoTime();
                engines.get(e).reranker().score(pairs, so);
                secs[e][i] = seconds(t0);
                cores[e][i] = (Stats.processCpuNanos() - c0) / 1e9 / secs[e][i];
            }
        }
        double[] rate = new double[engines.size()];
        for (int e = 0; e < engines.size(); e++) {
            double s = Stats.median(secs[e]);
            rate[e] = pairs.size() / s;
            out.printf("throughput%s: %d pairs (%d tokens, max length %d, batches of %d), median of %d runs: "
                    + "%.1f pairs/s, %.0f tokens/s, %.1f GFLOP/s (%.2f s per run; min %.2f, max %.2f; %.2f cores)%n",
                    engines.size() > 1 ? " (quantize " + o.modes().get(e).name().toLowerCase(Locale.ROOT) + ")" : "",
                    pairs.size(), tokens, o.maxLength(), o.batchSize(), o.reps(), rate[e], tokens / s,
                    work / s / 1e9, s, Stats.percentile(secs[e], 0), Stats.percentile(secs[e], 100),
                    Stats.median(cores[e]));
        }
        for (int e = 1; e < engines.size(); e++) {
            out.printf("throughput ratio %s / %s: %.2fx%n", o.modes().get(e).name().toLowerCase(Locale.ROOT),
                    o.modes().get(0).name().toLowerCase(Locale.ROOT), rate[e] / rate[0]);
        }
    }

    private static void cardLatency(Reranker r, Options o, PrintStream out) {
        for (int i = 0; i < 50; i++) {
            r.rank(CARD_QUERY, CARD_DOCUMENTS);
        }
        double[] ms = new double[Math.max(50, o.reps() * 10)];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            r.rank(CARD_QUERY, CARD_DOCUMENTS);
            ms[i] = seconds(t0) * 1e3;
        }
        out.printf("model card example (1 query, %d documents), %d warm runs: p50 %.2f ms, p90 %.2f ms, max %.2f ms%n",
                CARD_DOCUMENTS.size(), ms.length, Stats.median(ms), Stats.percentile(ms, 90),
                Stats.percentile(ms, 100));
    }

    /** One pair whose document repeats the card's documents until the pair is truncated at exactly N tokens. */
    private static void longPair(Engine engine, Reranker r, Flops flops, Options o, PrintStream out) {
        StringBuilder doc = new StringBuilder();
        while (engine.tokenizer().encodePair(CARD_QUERY, doc.toString(), Truncation.longestFirst(Integer.MAX_VALUE))
                .length() < o.longTokens()) {
            for (String d : CARD_DOCUMENTS) {
                doc.append(d).append(". ");
            }
            doc.append(doc); // doubling keeps the number of tokenizer calls logarithmic
        }
        List<TextPair> pair = List.of(new TextPair(CARD_QUERY, doc.toString()));
        ScoreOptions so = ScoreOptions.defaults().withMaxLength(o.longTokens()).withBatchSize(1);
        for (int i = 0; i < 30; i++) {
            r.rank(CARD_QUERY, CARD_DOCUMENTS); // compile the kernels on short inputs first
        }
        List<Double> secs = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            tokens = r.score(pair, so).get(0).tokens();
            secs.add(seconds(t0));
        }
        out.printf("long pair: %d tokens, first run %.2f s, second %.2f s (%.1f GFLOP/s); peak resident memory "
                + "%.0f MiB (max heap %d MiB)%n", tokens, secs.get(0), secs.get(1),
                flops.sequence(tokens) / secs.get(1) / 1e9, Stats.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("rerank4j-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for the random model", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

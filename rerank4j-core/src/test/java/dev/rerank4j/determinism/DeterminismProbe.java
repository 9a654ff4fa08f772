package dev.rerank4j.determinism;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Quantize;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Run in a child JVM, so that it starts cold: scores one input under every condition the determinism tests
 * vary and prints each distinct result's bits on a line of its own.
 *
 * <p>Arguments: {@code cross|int8|deberta|embed} ({@code int8}: jinabert-mini with {@code --quantize int8}) and {@code sweep} (the input alone many times, then at every position of
 * mixed-length batches, with 1 and 2 threads) or {@code once} (the input alone, once); optionally a cross-encoder
 * directory other than the mode's (jinabert-mini or deberta-v3-mini).
 */
public final class DeterminismProbe {
    static final Path JINABERT_MINI = Path.of("../testdata/models/jinabert-mini");
    static final Path DEBERTA_V3_MINI = Path.of("../testdata/models/deberta-v3-mini");
    static final String QUERY = "Organic skincare products for sensitive skin";
    static final String DOCUMENT = "Natural organic skincare range for sensitive skin";
    static final int ALONE = 500;
    static final int BATCHES = 20;

    private DeterminismProbe() {
    }

    public static void main(String[] args) {
        boolean deberta = args[0].equals("deberta");
        boolean int8 = args[0].equals("int8");
        boolean cross = deberta || int8 || args[0].equals("cross");
        boolean sweep = args[1].equals("sweep");
        // longer than the others; kept short for the interpreted run
        String document = deberta ? DOCUMENT + " " + filler(new Random(1), 40) : DOCUMENT;
        TreeSet<String> distinct = new TreeSet<>();
        for (int threads : sweep ? new int[] {1, 2} : new int[] {1}) {
            EngineOptions options = EngineOptions.defaults().withThreads(threads)
                    .withQuantize(int8 ? Quantize.INT8 : Quantize.NONE);
            if (cross) {
                try (Reranker reranker = Reranker.load(args.length > 2 ? Path.of(args[2])
                        : deberta ? DEBERTA_V3_MINI : JINABERT_MINI, options)) {
                    run(sweep, document, distinct, batch -> {
                        List<TextPair> pairs = new ArrayList<>();
                        for (String d : batch) {
                            pairs.add(new TextPair(QUERY, d));
                        }
                        List<PairScore> scores = reranker.score(pairs);
                        List<String> bits = new ArrayList<>();
                        for (PairScore s : scores) {
                            bits.add(Integer.toHexString(Float.floatToRawIntBits((float) s.logit())) + " "
                                    + Long.toHexString(Double.doubleToRawLongBits(s.score())));
                        }
                        return bits;
                    });
                }
            } else {
                try (Embedder embedder = Embedder.load("bundled")) {
                    run(sweep, document, distinct, batch -> {
                        List<String> bits = new ArrayList<>();
                        for (float[] v : embedder.embed(batch)) {
                            bits.add(hex(v));
                        }
                        return bits;
                    });
                }
            }
        }
        distinct.forEach(System.out::println);
    }

    interface Scorer {
        List<String> bits(List<String> documents);
    }

    /** The target document alone, then (sweep) at each position of batches of other documents of mixed lengths. */
    private static void run(boolean sweep, String document, TreeSet<String> distinct, Scorer scorer) {
        for (int i = 0; i < (sweep ? ALONE : 1); i++) {
            distinct.add(scorer.bits(List.of(document)).get(0));
        }
        if (!sweep) {
            return;
        }
        Random random = new Random(42);
        for (int b = 0; b < BATCHES; b++) {
            List<String> others = new ArrayList<>();
            int size = 2 + random.nextInt(7);
            for (int i = 0; i < size - 1; i++) {
                others.add(filler(random, 1 + random.nextInt(30)));
            }
            for (int at = 0; at < size; at++) {
                List<String> batch = new ArrayList<>(others);
                batch.add(at, document);
                distinct.add(scorer.bits(batch).get(at));
            }
        }
    }

    private static final String[] WORDS = ("organic skin care sensitive products natural range eco friendly kitchen "
            + "cotton baby clothes gadgets smart homes garden tools compost food wraps storage pet dogs allergies "
            + "yoga mats recycled materials cleansers toners biodegradable cleaning supplies").split(" ");

    private static String filler(Random random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    static String hex(float[] v) {
        byte[] bytes = new byte[v.length * 4];
        for (int i = 0; i < v.length; i++) {
            int bits = Float.floatToRawIntBits(v[i]);
            for (int b = 0; b < 4; b++) {
                bytes[4 * i + b] = (byte) (bits >>> (24 - 8 * b));
            }
        }
        return HexFormat.of().formatHex(bytes);
    }
}

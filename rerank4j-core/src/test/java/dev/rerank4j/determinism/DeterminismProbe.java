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
 * <p>Arguments: {@code cross|int8|deberta|decoder|embed} ({@code int8}: jinabert-mini with {@code --quantize int8})
 * and {@code sweep} (the input alone many times, then at every position of mixed-length batches, with 1 and 2
 * threads) or {@code once} (the input alone, once); optionally a cross-encoder directory other than the mode's
 * (jinabert-mini, deberta-v3-mini or qwen3-reranker-mini). In every other batch the other pairs have another
 * query: a decoder then shares only the system prompt with the target pair, otherwise the prompt up to the
 * document (and alone, nothing).
 */
public final class DeterminismProbe {
    static final Path JINABERT_MINI = Path.of("../testdata/models/jinabert-mini");
    static final Path DEBERTA_V3_MINI = Path.of("../testdata/models/deberta-v3-mini");
    static final Path QWEN3_MINI = Path.of("../testdata/models/qwen3-reranker-mini");
    static final String QUERY = "Organic skincare products for sensitive skin";
    static final String DOCUMENT = "Natural organic skincare range for sensitive skin";
    static final String OTHER_QUERY = "Recycled yoga mats";
    static final int ALONE = 500;
    static final int BATCHES = 20;

    private DeterminismProbe() {
    }

    public static void main(String[] args) {
        boolean deberta = args[0].equals("deberta");
        boolean int8 = args[0].equals("int8");
        boolean decoder = args[0].equals("decoder");
        boolean cross = deberta || int8 || decoder || args[0].equals("cross");
        boolean sweep = args[1].equals("sweep");
        // longer than the others; kept short for the interpreted run
        String document = deberta ? DOCUMENT + " " + filler(new Random(1), 40) : DOCUMENT;
        TreeSet<String> distinct = new TreeSet<>();
        for (int threads : sweep ? new int[] {1, 2} : new int[] {1}) {
            EngineOptions options = EngineOptions.defaults().withThreads(threads)
                    .withQuantize(int8 ? Quantize.INT8 : Quantize.NONE);
            if (cross) {
                try (Reranker reranker = Reranker.load(args.length > 2 ? Path.of(args[2])
                        : deberta ? DEBERTA_V3_MINI : decoder ? QWEN3_MINI : JINABERT_MINI, options)) {
                    run(sweep, document, decoder ? 60 : 30, distinct, pairs -> {
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
                    run(sweep, document, 30, distinct, pairs -> {
                        List<String> bits = new ArrayList<>();
                        for (float[] v : embedder.embed(pairs.stream().map(TextPair::document).toList())) {
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
        List<String> bits(List<TextPair> pairs);
    }

    /**
     * The target pair alone, then (sweep) at each position of batches of other pairs with documents of 1 to
     * {@code maxWords} words (the decoder's longer, so that some batches span several of its row chunks).
     */
    private static void run(boolean sweep, String document, int maxWords, TreeSet<String> distinct, Scorer scorer) {
        TextPair target = new TextPair(QUERY, document);
        for (int i = 0; i < (sweep ? ALONE : 1); i++) {
            distinct.add(scorer.bits(List.of(target)).get(0));
        }
        if (!sweep) {
            return;
        }
        Random random = new Random(42);
        for (int b = 0; b < BATCHES; b++) {
            List<TextPair> others = new ArrayList<>();
            int size = 2 + random.nextInt(7);
            for (int i = 0; i < size - 1; i++) {
                String query = b % 2 == 0 ? QUERY : OTHER_QUERY;
                others.add(new TextPair(query, filler(random, 1 + random.nextInt(maxWords))));
            }
            for (int at = 0; at < size; at++) {
                List<TextPair> batch = new ArrayList<>(others);
                batch.add(at, target);
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

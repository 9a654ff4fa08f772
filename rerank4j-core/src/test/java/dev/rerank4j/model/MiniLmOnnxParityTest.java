package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.api.Embedder;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.tokenizer.BatchEncoding;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 loaded through the ONNX weight import and run by rerank4j's encoder gives the
 * {@code last_hidden_state} ONNX Runtime computes from the very same file.
 */
class MiniLmOnnxParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_TOKENS = 512;
    static final String PARAGRAPH = "Deep learning is part of a broader family of machine learning methods "
            + "based on artificial neural networks with representation learning. Learning can be supervised, "
            + "semi-supervised or unsupervised. ";

    static final List<String> TEXTS = List.of(
            "What is Deep Learning?",
            "Hello, world!",
            "a",
            "The quick brown fox jumps over the lazy dog.",
            "I love programming in Java and Python.",
            "Transformers replaced recurrent networks for most NLP tasks.",
            "Berlin is the capital of Germany.",
            "What's the weather like in Paris tomorrow?",
            "0123456789 3.14159 1,000,000 -42",
            "UPPER CASE AND lower case AND MiXeD CaSe",
            "e-mail: someone@example.com, url: https://example.org/path?q=1",
            "Héllo naïve café, crème brûlée à la façon d'Ærø",
            "中文字符和日本語のテキスト、한국어 텍스트",
            "Привет, как дела? Всё хорошо.",
            "مرحبا بالعالم",
            "Emoji 😀🚀🇩🇪 and symbols ∑ ∞ ≠ ← →",
            "Tabs\tand\nnewlines\r\nand   many    spaces",
            "unwanted,running,jumping,unaffable",
            "[CLS] literal [SEP] special [MASK] tokens [PAD]",
            "Ünïcödé wïth cömbïnïng márks: e\u0301 a\u0308 o\u0302",
            "zero\u200bwidth\u200cjoiners\u200d and non\u00a0breaking spaces",
            "Supercalifragilisticexpialidocious antidisestablishmentarianism",
            "Is this the real life? Is this just fantasy?",
            "SELECT * FROM users WHERE id = 42;",
            "def f(x): return x ** 2  # squares",
            "Ελληνικά γράμματα και ελληνικό κείμενο",
            "हिन्दी में लिखा गया पाठ",
            "ไทยภาษาไม่มีช่องว่าง",
            "!!!???...,,,;;;:::",
            "The year 2024 had 366 days; 2023 had 365.",
            "A man is eating food.",
            "A man is riding a white horse on an enclosed ground.",
            "A monkey is playing drums.",
            "Two men pushed carts through the woods.",
            "The new movie is awesome!",
            "The cat sits outside.",
            "How do I bake sourdough bread at home?",
            "Quantum entanglement links the states of particles.",
            PARAGRAPH.repeat(4),
            PARAGRAPH.repeat(60));

    static final List<String[]> PAIRS = List.of(
            new String[] {"What is Deep Learning?", "Deep learning is a subset of machine learning."},
            new String[] {"How many people live in Berlin?", "Berlin has a population of 3.5 million."},
            new String[] {"capital of France", "Paris is the capital and most populous city of France."},
            new String[] {"Héllo naïve café", "中文字符 and Привет"},
            new String[] {"short", "a"},
            new String[] {"Emoji 😀", "🚀 launch"},
            new String[] {"A man is eating food.", "A man is eating a piece of bread."},
            new String[] {"who wrote hamlet", "Hamlet is a tragedy written by William Shakespeare."},
            new String[] {"query", PARAGRAPH.repeat(3)},
            new String[] {PARAGRAPH.repeat(2), "document"},
            new String[] {"long query " + PARAGRAPH.repeat(30), PARAGRAPH.repeat(50)},
            new String[] {"truncate the document", PARAGRAPH.repeat(80)},
            new String[] {"", "empty first segment"},
            new String[] {"SELECT 1;", "def f(): pass"},
            new String[] {"What is the boiling point of water?", "Water boils at 100 °C at sea level."},
            new String[] {"Is this the real life?", "Is this just fantasy?"});

    @TempDir
    static Path cache;
    private static Path modelDir;
    private static Model model;
    private static Tokenizer tokenizer;
    private static ComputePool pool;
    private static OrtEnvironment env;
    private static OrtSession session;

    @BeforeAll
    static void load() throws OrtException {
        modelDir = new BundledMiniLm(cache).resolve().directory();
        model = Model.load(modelDir, KernelsProvider.choose());
        assertThat(model.architecture().name()).isEqualTo("BERT_BI_ENCODER");
        tokenizer = Tokenizer.load(modelDir);
        pool = new ComputePool(2);
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(modelDir.resolve("onnx/model.onnx").toString(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws OrtException {
        session.close();
        pool.close();
    }

    private static List<Encoding> encodings() {
        Truncation truncation = Truncation.longestFirst(MAX_TOKENS);
        List<Encoding> all = new ArrayList<>();
        TEXTS.forEach(t -> all.add(tokenizer.encode(t, truncation)));
        PAIRS.forEach(p -> all.add(tokenizer.encodePair(p[0], p[1], truncation)));
        return all;
    }

    @Test
    void everyInputAloneMatchesOnnxRuntime() throws OrtException {
        List<Encoding> inputs = encodings();
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(50);
        assertThat(inputs).filteredOn(e -> e.length() == MAX_TOKENS).hasSizeGreaterThanOrEqualTo(3);
        assertThat(inputs).filteredOn(e -> Arrays.stream(e.typeIds()).anyMatch(t -> t == 1))
                .hasSizeGreaterThanOrEqualTo(PAIRS.size() - 1);
        double worst = 0;
        for (int i = 0; i < inputs.size(); i++) {
            BatchEncoding one = tokenizer.pad(List.of(inputs.get(i)));
            worst = Math.max(worst, compare(one, "input " + i));
        }
        System.out.printf("MiniLM ONNX import vs ONNX Runtime, %d inputs alone: max |diff| = %.3g%n",
                inputs.size(), worst);
    }

    @Test
    void paddedBatchesMatchOnnxRuntimeAtRealTokens() throws OrtException {
        List<Encoding> inputs = encodings();
        double worst = 0;
        int batches = 0;
        // Mixed lengths in each batch: short texts padded up to long ones, pairs next to single texts.
        for (int start = 0; start < inputs.size(); start += 7) {
            List<Encoding> batch = new ArrayList<>();
            for (int i = start; i < inputs.size(); i += 9) {
                batch.add(inputs.get(i));
            }
            if (batch.size() < 2) {
                continue;
            }
            worst = Math.max(worst, compare(tokenizer.pad(batch), "batch from " + start));
            batches++;
        }
        assertThat(batches).isGreaterThanOrEqualTo(5);
        System.out.printf("MiniLM ONNX import vs ONNX Runtime, %d padded batches: max |diff| = %.3g%n",
                batches, worst);
    }

    @Test
    void meanPooledEmbeddingMatchesTheModelCard() {
        try (Embedder embedder = Embedder.load(modelDir)) {
            float[] v = embedder.embed(List.of("What is Deep Learning?"), false, 0)[0];
            assertThat(v).hasSize(384);
            System.out.printf("mean-pooled 'What is Deep Learning?': %.6f, %.6f, %.6f, ...%n", v[0], v[1], v[2]);
            assertThat((double) v[0]).isCloseTo(-0.5902, within(5e-5));
            assertThat((double) v[1]).isCloseTo(-0.2523, within(5e-5));
            assertThat((double) v[2]).isCloseTo(0.1497, within(5e-5));
        }
    }

    /** Runs both engines on a right-padded batch; returns the largest difference over real tokens. */
    private static double compare(BatchEncoding padded, String label) throws OrtException {
        float[][][] expected = onnxRuntime(padded);
        Batch batch = Padding.unpad(padded);
        float[] actual = model.hiddenStates(batch, pool);
        int h = model.hiddenSize();
        double worst = 0;
        for (int s = 0; s < batch.size(); s++) {
            for (int t = 0; t < batch.length(s); t++) {
                int row = (batch.start(s) + t) * h;
                for (int c = 0; c < h; c++) {
                    double diff = Math.abs(actual[row + c] - expected[s][t][c]);
                    if (diff > TOLERANCE) {
                        throw new AssertionError(String.format("%s, sequence %d, token %d, channel %d: rerank4j %s, "
                                + "ONNX Runtime %s", label, s, t, c, actual[row + c], expected[s][t][c]));
                    }
                    worst = Math.max(worst, diff);
                }
            }
        }
        return worst;
    }

    private static float[][][] onnxRuntime(BatchEncoding padded) throws OrtException {
        return lastHiddenState(env, session, padded);
    }

    /** ONNX Runtime's last_hidden_state for a right-padded batch. */
    static float[][][] lastHiddenState(OrtEnvironment env, OrtSession session, BatchEncoding padded)
            throws OrtException {
        try (OnnxTensor ids = OnnxTensor.createTensor(env, longs(padded.ids()));
             OnnxTensor mask = OnnxTensor.createTensor(env, longs(padded.attentionMask()));
             OnnxTensor types = OnnxTensor.createTensor(env, longs(padded.typeIds()));
             OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask,
                     "token_type_ids", types))) {
            return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
        }
    }

    static long[][] longs(int[][] values) {
        long[][] out = new long[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = Arrays.stream(values[i]).asLongStream().toArray();
        }
        return out;
    }
}

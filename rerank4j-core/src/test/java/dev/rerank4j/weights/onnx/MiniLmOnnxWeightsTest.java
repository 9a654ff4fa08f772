package dev.rerank4j.weights.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.weights.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 export: every BertModel parameter is found, and each Linear computes what ORT computes. */
class MiniLmOnnxWeightsTest {
    private static final int LAYERS = 6;
    private static final int HIDDEN = 384;
    private static final int INTERMEDIATE = 1536;
    private static final List<String> LINEARS = List.of("attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense");

    @TempDir
    static Path directory;
    private static Path model;
    private static OnnxWeights weights;

    @BeforeAll
    static void open() {
        model = MiniLmOnnx.copyTo(directory);
        long start = System.nanoTime();
        OnnxWeights.open(model).close();
        long cold = System.nanoTime();
        weights = OnnxWeights.open(model);
        System.out.printf("all-MiniLM-L6-v2 ONNX weights (%d), opened in %.1f ms (first time in this JVM), "
                + "%.1f ms again:%n", weights.names().size(), (cold - start) / 1e6, (System.nanoTime() - cold) / 1e6);
        weights.names().forEach(n -> System.out.println("  " + weights.get(n)));
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    @Test
    void everyBertModelParameterIsPresentWithItsHuggingFaceShape() {
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("embeddings.word_embeddings.weight", new int[] {30522, HIDDEN});
        expected.put("embeddings.position_embeddings.weight", new int[] {512, HIDDEN});
        expected.put("embeddings.token_type_embeddings.weight", new int[] {2, HIDDEN});
        expected.put("embeddings.LayerNorm.weight", new int[] {HIDDEN});
        expected.put("embeddings.LayerNorm.bias", new int[] {HIDDEN});
        for (int layer = 0; layer < LAYERS; layer++) {
            String p = "encoder.layer." + layer + ".";
            for (String qkv : List.of("query", "key", "value")) {
                expected.put(p + "attention.self." + qkv + ".weight", new int[] {HIDDEN, HIDDEN});
                expected.put(p + "attention.self." + qkv + ".bias", new int[] {HIDDEN});
            }
            expected.put(p + "attention.output.dense.weight", new int[] {HIDDEN, HIDDEN});
            expected.put(p + "attention.output.dense.bias", new int[] {HIDDEN});
            expected.put(p + "attention.output.LayerNorm.weight", new int[] {HIDDEN});
            expected.put(p + "attention.output.LayerNorm.bias", new int[] {HIDDEN});
            expected.put(p + "intermediate.dense.weight", new int[] {INTERMEDIATE, HIDDEN});
            expected.put(p + "intermediate.dense.bias", new int[] {INTERMEDIATE});
            expected.put(p + "output.dense.weight", new int[] {HIDDEN, INTERMEDIATE});
            expected.put(p + "output.dense.bias", new int[] {HIDDEN});
            expected.put(p + "output.LayerNorm.weight", new int[] {HIDDEN});
            expected.put(p + "output.LayerNorm.bias", new int[] {HIDDEN});
        }
        expected.forEach((name, shape) -> assertThat(weights.get(name, shape).dtype().isFloatingPoint()).isTrue());
        // The export has no pooler and keeps position_ids as an INT64 initializer, which is not a weight.
        assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(weights.graphInputs()).containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(weights.graphOutputs()).containsExactly("last_hidden_state");
    }

    @Test
    void wordEmbeddingsAreAViewOfTheFileNotACopy() {
        Tensor words = weights.get("embeddings.word_embeddings.weight", 30522, HIDDEN);
        assertThat(words.toString()).doesNotContain("transposed");
        assertThat(weights.get("encoder.layer.0.intermediate.dense.weight").toString()).contains("stored transposed");
    }

    /**
     * ONNX Runtime computes each Linear of each layer on a real input; its input x and output y are exposed as
     * extra graph outputs. The mapped weight and bias must reproduce y = x W^T + b: a weight under the wrong name
     * (another layer, query for key, ...) or in the wrong orientation cannot.
     */
    @Test
    void eachMappedLinearReproducesOnnxRuntimesOutputs() throws Exception {
        OnnxGraph graph = OnnxGraph.read(model, mapped(model));
        Map<String, String[]> probes = new LinkedHashMap<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (String linear : LINEARS) {
                String scope = "/encoder/layer." + layer + "/" + linear.replace('.', '/');
                OnnxNode matMul = node(graph, scope + "/MatMul");
                OnnxNode add = node(graph, scope + "/Add");
                assertThat(add.inputs()).contains(matMul.outputs().get(0));
                probes.put("encoder.layer." + layer + "." + linear,
                        new String[] {matMul.input(0), add.outputs().get(0)});
            }
        }
        Set<String> exposed = new LinkedHashSet<>();
        probes.values().forEach(p -> exposed.addAll(List.of(p)));
        long[][] ids = {{101, 2054, 2003, 2784, 4083, 1029, 102, 7592, 2088, 102}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
        long[][] types = {{0, 0, 0, 0, 0, 0, 0, 1, 1, 1}};

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(withOutputs(model, exposed), options);
                 OnnxTensor idTensor = OnnxTensor.createTensor(env, ids);
                 OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                 OnnxTensor typeTensor = OnnxTensor.createTensor(env, types);
                 OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                         "token_type_ids", typeTensor), exposed)) {
                double worst = 0;
                for (Map.Entry<String, String[]> probe : probes.entrySet()) {
                    float[][] x = ((float[][][]) result.get(probe.getValue()[0]).orElseThrow().getValue())[0];
                    float[][] y = ((float[][][]) result.get(probe.getValue()[1]).orElseThrow().getValue())[0];
                    double error = maxRelativeError(probe.getKey(), x, y);
                    assertThat(error).as(probe.getKey()).isLessThan(1e-5);
                    worst = Math.max(worst, error);
                }
                System.out.printf("36 Linears vs ONNX Runtime: max |x W^T + b - y| / (|x| |W^T| + |b|) = %.3g%n",
                        worst);
            }
        }
    }

    /**
     * Worst error of y = x W^T + b over all outputs, relative to the sum of the magnitudes of its terms: float
     * rounding keeps that near 1e-7, while a wrong weight makes it of order 1.
     */
    private static double maxRelativeError(String module, float[][] x, float[][] y) {
        Tensor w = weights.get(module + ".weight");
        float[] b = weights.get(module + ".bias").toFloats();
        int out = w.shape()[0];
        int in = w.shape()[1];
        assertThat(x[0]).hasSize(in);
        assertThat(y[0]).hasSize(out);
        double worst = 0;
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double sum = b[o];
                double magnitude = Math.abs(b[o]);
                for (int i = 0; i < in; i++) {
                    double term = x[t][i] * (double) w.get(o, i);
                    sum += term;
                    magnitude += Math.abs(term);
                }
                worst = Math.max(worst, Math.abs(sum - y[t][o]) / magnitude);
            }
        }
        return worst;
    }

    private static OnnxNode node(OnnxGraph graph, String name) {
        return graph.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name));
    }

    /**
     * The model with extra graph outputs. Protobuf merges a repeated embedded message field that occurs twice,
     * so appending a second {@code graph} holding only outputs adds them to the original graph.
     */
    private static byte[] withOutputs(Path model, Set<String> names) throws IOException {
        ProtoWriter graph = new ProtoWriter();
        for (String name : names) {
            ProtoWriter floatTensor = new ProtoWriter().message(1, new ProtoWriter().varint(1, 1));
            graph.message(12, new ProtoWriter().string(1, name).message(2, floatTensor));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Files.readAllBytes(model));
        out.writeBytes(new ProtoWriter().message(7, graph).toBytes());
        return out.toByteArray();
    }

    private static ByteBuffer mapped(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
    }

}

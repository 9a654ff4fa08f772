package dev.rerank4j.weights.onnx;

import static dev.rerank4j.weights.onnx.OnnxModels.floatTensor;
import static dev.rerank4j.weights.onnx.OnnxModels.intAttribute;
import static dev.rerank4j.weights.onnx.OnnxModels.model;
import static dev.rerank4j.weights.onnx.OnnxModels.node;
import static dev.rerank4j.weights.onnx.OnnxModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How weights get their Hugging Face names and [out, in] orientation from the graph. */
class WeightNamingTest {
    /** A [in=2, out=3] matrix as a MatMul stores it: row i holds the weights from input i. */
    private static final float[] IN_OUT = {1, 2, 3, 4, 5, 6};

    @TempDir
    Path dir;

    private OnnxWeights open(List<ProtoWriter> nodes, List<ProtoWriter> initializers) {
        return OnnxWeights.open(write(dir, model(nodes, initializers)));
    }

    private static ProtoWriter bias(String name, int n) {
        return floatTensor(name, new int[] {n}, new float[n]);
    }

    @Test
    void matMulWeightTakesTheNameOfTheBiasAddedAfterIt() {
        try (OnnxWeights w = open(List.of(
                        node("/enc/q/MatMul", "MatMul", List.of("x", "onnx::MatMul_7"), List.of("m")),
                        node("/enc/q/Add", "Add", List.of("enc.q.bias", "m"), List.of("y"))),
                List.of(floatTensor("onnx::MatMul_7", new int[] {2, 3}, IN_OUT), bias("enc.q.bias", 3)))) {
            assertThat(w.names()).containsExactly("enc.q.bias", "enc.q.weight");
            Tensor weight = w.get("enc.q.weight", 3, 2);
            // logical [out, in]: W[o][i] = stored[i][o]
            assertThat(weight.toFloats()).containsExactly(1, 4, 2, 5, 3, 6);
        }
    }

    @Test
    void aFloat16WeightCastBeforeItsMatMulIsStillALinearWeight() {
        ProtoWriter half = OnnxModels.tensor("onnx::MatMul_8", OnnxModels.FLOAT16, 2, 3);
        for (float v : IN_OUT) {
            half.varint(5, Float.floatToFloat16(v) & 0xffff);
        }
        try (OnnxWeights w = open(List.of(
                        node("/enc/k/Cast", "Cast", List.of("onnx::MatMul_8"), List.of("w32")),
                        node("/enc/k/MatMul", "MatMul", List.of("x", "w32"), List.of("m")),
                        node("/enc/k/Add", "Add", List.of("m", "enc.k.bias"), List.of("y"))),
                List.of(half, bias("enc.k.bias", 3)))) {
            Tensor weight = w.get("enc.k.weight", 3, 2);
            assertThat(weight.dtype()).isEqualTo(DType.F16);
            assertThat(weight.toFloats()).containsExactly(1, 4, 2, 5, 3, 6);
        }
    }

    @Test
    void aCycleOfCastsIsACorruptGraph() {
        Path file = write(dir, model(List.of(
                        node("c1", "Cast", List.of("w"), List.of("a")),
                        node("c2", "Identity", List.of("a"), List.of("w"))),
                List.of(floatTensor("w", new int[] {1}, 1f))));
        assertThatThrownBy(() -> OnnxWeights.open(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": tensor '")
                .hasMessageEndingWith("' ends a chain of more than 8 Cast/Identity nodes; the graph has a cycle");
    }

    @Test
    void biasFreeMatMulIsNamedByItsScope() {
        try (OnnxWeights w = open(List.of(
                        node("/bert/encoder/layer.0/mlp/gated_layers/MatMul", "MatMul",
                                List.of("x", "onnx::MatMul_9"), List.of("y"))),
                List.of(floatTensor("onnx::MatMul_9", new int[] {2, 3}, IN_OUT)))) {
            assertThat(w.names()).containsExactly("bert.encoder.layer.0.mlp.gated_layers.weight");
            assertThat(w.get("bert.encoder.layer.0.mlp.gated_layers.weight", 3, 2).get(0, 1)).isEqualTo(4f);
        }
    }

    @Test
    void aBiasOfTheWrongWidthDoesNotNameTheWeight() {
        try (OnnxWeights w = open(List.of(
                        node("/enc/real/MatMul", "MatMul", List.of("x", "onnx::MatMul_1"), List.of("m")),
                        node("/enc/real/Add", "Add", List.of("m", "other.bias"), List.of("y"))),
                List.of(floatTensor("onnx::MatMul_1", new int[] {2, 3}, IN_OUT), bias("other.bias", 2)))) {
            assertThat(w.names()).containsExactly("enc.real.weight", "other.bias");
        }
    }

    @Test
    void gemmOrientationFollowsTransB() {
        try (OnnxWeights w = open(List.of(
                        node("/pooler/Gemm", "Gemm", List.of("x", "onnx::Gemm_3", "pooler.bias"), List.of("y"))
                                .message(5, intAttribute("transB", 0)),
                        node("/classifier/Gemm", "Gemm", List.of("y", "classifier.weight", "classifier.bias"),
                                List.of("z")).message(5, intAttribute("transB", 1))),
                List.of(floatTensor("onnx::Gemm_3", new int[] {2, 3}, IN_OUT), bias("pooler.bias", 3),
                        floatTensor("classifier.weight", new int[] {1, 3}, 7, 8, 9), bias("classifier.bias", 1)))) {
            assertThat(w.get("pooler.weight", 3, 2).toFloats()).containsExactly(1, 4, 2, 5, 3, 6);
            assertThat(w.get("classifier.weight", 1, 3).toFloats()).containsExactly(7, 8, 9);
        }
    }

    @Test
    void aNamedWeightUsedDirectlyByMatMulIsExposedTransposed() {
        try (OnnxWeights w = open(List.of(node("/lin/MatMul", "MatMul", List.of("x", "lin.weight"), List.of("y"))),
                List.of(floatTensor("lin.weight", new int[] {2, 3}, IN_OUT)))) {
            assertThat(w.get("lin.weight", 3, 2).toFloats()).containsExactly(1, 4, 2, 5, 3, 6);
        }
    }

    @Test
    void aNamedWeightUsedBothAsStoredAndTransposedHasNoSingleShape() {
        Path file = write(dir, model(List.of(
                        node("/emb/Gather", "Gather", List.of("emb.weight", "ids"), List.of("x")),
                        node("/head/MatMul", "MatMul", List.of("x", "emb.weight"), List.of("y"))),
                List.of(floatTensor("emb.weight", new int[] {2, 3}, IN_OUT))));
        assertThatThrownBy(() -> OnnxWeights.open(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": weight 'emb.weight' is used both as stored and transposed; cannot give it "
                        + "one logical shape");
    }

    @Test
    void anonymousConstantsOutsideLinearsAreNotWeights() {
        try (OnnxWeights w = open(List.of(node("/ln/Add", "Add", List.of("x", "onnx::Add_5"), List.of("y"))),
                List.of(floatTensor("onnx::Add_5", new int[] {}, 1e-12f)))) {
            assertThat(w.names()).isEmpty();
        }
    }

    @Test
    void unnameableMatMulWeightsAreReportedByName() {
        Path file = write(dir, model(List.of(
                        node("MatMul_12", "MatMul", List.of("x", "onnx::MatMul_12"), List.of("y")),
                        node("", "MatMul", List.of("y", "onnx::MatMul_13"), List.of("z"))),
                List.of(floatTensor("onnx::MatMul_12", new int[] {2, 3}, IN_OUT),
                        floatTensor("onnx::MatMul_13", new int[] {3, 2}, IN_OUT))));
        assertThatThrownBy(() -> OnnxWeights.open(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": cannot name anonymised weights 'onnx::MatMul_12' (MatMul 'MatMul_12'), "
                        + "'onnx::MatMul_13' (MatMul ''): no bias Add follows their MatMul and the node name is not "
                        + "a module path");
    }

    @Test
    void twoWeightsMappingToOneNameAreAnError() {
        Path file = write(dir, model(List.of(
                        node("/a/MatMul", "MatMul", List.of("x", "onnx::MatMul_1"), List.of("y"))),
                List.of(floatTensor("onnx::MatMul_1", new int[] {2, 3}, IN_OUT),
                        floatTensor("a.weight", new int[] {3, 2}, IN_OUT))));
        assertThatThrownBy(() -> OnnxWeights.open(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": initializers 'onnx::MatMul_1' and 'a.weight' both map to weight 'a.weight'");
    }

    @Test
    void staticallyQuantisedStrayIntegerAndRuntimeOptimisedGraphsAreRejected() {
        Path qdq = write(dir, model(List.of(
                node("/q/QuantizeLinear", "QuantizeLinear", List.of("x", "s"), List.of("y"))), List.of()));
        assertThatThrownBy(() -> OnnxWeights.open(qdq))
                .hasMessage(qdq + ": statically quantised ONNX models are not supported (node '/q/QuantizeLinear' is "
                        + "QuantizeLinear); use the fp32 export or a dynamically quantised one "
                        + "(DynamicQuantizeLinear + MatMulInteger)");
        Path stray = write(dir, model(List.of(
                node("/q/MatMul_quant", "MatMulInteger", List.of("x", "w"), List.of("y"))), List.of()));
        assertThatThrownBy(() -> OnnxWeights.open(stray))
                .hasMessage(stray + ": MatMulInteger '/q/MatMul_quant' is not in the pattern onnxruntime's "
                        + "quantize_dynamic writes: input B is not a 2-D INT8/UINT8 initializer");
        Path fused = write(dir, model(List.of(
                node("Attention_0", "Attention", List.of("x", "w"), List.of("y")).string(7, "com.microsoft")),
                List.of()));
        assertThatThrownBy(() -> OnnxWeights.open(fused))
                .hasMessage(fused + ": graphs optimised for ONNX Runtime are not supported (node 'Attention_0' is "
                        + "the fused op com.microsoft.Attention); use the plain exported model");
    }
}

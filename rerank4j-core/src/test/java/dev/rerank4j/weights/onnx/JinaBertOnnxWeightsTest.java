package dev.rerank4j.weights.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JinaBERT export carries exactly the checkpoint's weights (F16 upcast to F32), under the checkpoint's names. */
class JinaBertOnnxWeightsTest {
    private static final Path MODEL = Path.of("../testdata/models/jinabert-mini");

    @Test
    void everyCheckpointTensorIsInTheExportWithTheSameShapeAndValues() {
        try (SafetensorsSource checkpoint = SafetensorsSource.open(MODEL);
             OnnxWeights onnx = OnnxWeights.open(MODEL.resolve("onnx/model.onnx"))) {
            List<String> used = checkpoint.names().stream()
                    .filter(n -> n.startsWith("bert.") || n.startsWith("classifier."))
                    .filter(n -> checkpoint.get(n).dtype().isFloatingPoint())
                    .sorted()
                    .toList();
            // embeddings 4; per layer 15 (q, k, v, attention output, its LayerNorm, gated_layers, wo, mlp
            // LayerNorm); pooler; classifier
            assertThat(used).hasSize(4 + 3 * 15 + 2 + 2);
            for (String name : used) {
                Tensor expected = checkpoint.get(name);
                Tensor actual = onnx.get(name, expected.shape());
                float[] want = expected.toFloats();
                float[] got = actual.toFloats();
                int mismatch = Arrays.mismatch(want, got);
                assertThat(mismatch).as("%s first differs at element %d", name, mismatch).isEqualTo(-1);
            }
            assertThat(onnx.names()).containsExactlyInAnyOrderElementsOf(used);
        }
    }

    @Test
    void anonymisedMatMulWeightsAreTransposedViewsOfTheFile() {
        try (OnnxWeights onnx = OnnxWeights.open(MODEL.resolve("onnx/model.onnx"))) {
            // gated_layers has no bias: it is named from the node scope /bert/encoder/layer.N/mlp/gated_layers/MatMul.
            Tensor gated = onnx.get("bert.encoder.layer.2.mlp.gated_layers.weight", 384, 96);
            assertThat(gated.toString()).contains("stored transposed");
            Tensor wo = onnx.get("bert.encoder.layer.0.mlp.wo.weight", 96, 192);
            assertThat(wo.toString()).contains("stored transposed");
            // Gemm with transB=1 already stores [out, in]: exposed as stored.
            Tensor classifier = onnx.get("classifier.weight", 1, 96);
            assertThat(classifier.toString()).doesNotContain("transposed");
            assertThat(onnx.graphInputs()).containsExactly("input_ids", "attention_mask");
            assertThat(onnx.graphOutputs()).containsExactly("logits");
        }
    }
}

package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same reference logits through the ONNX export (it was traced for at most 128 tokens). */
class JinaBertOnnxGoldenTest {
    @TempDir
    Path tmp;

    @Test
    void onnxExportReproducesTheReferenceLogits() throws IOException {
        Files.createDirectories(tmp.resolve("onnx"));
        Files.copy(Golden.JINABERT_MINI.resolve("config.json"), tmp.resolve("config.json"));
        Files.copy(Golden.JINABERT_MINI.resolve("onnx/model.onnx"), tmp.resolve("onnx/model.onnx"));
        Model m = Model.load(tmp, KernelsProvider.choose());
        assertThat(m.architecture().name()).isEqualTo("JINA_BERT_CROSS_ENCODER");
        int checked = 0;
        try (ComputePool pool = new ComputePool(2)) {
            for (Golden.Pair p : Golden.pairs()) {
                if (p.length() > 128) {
                    continue;
                }
                float logit = m.logits(Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()}),
                        pool)[0];
                assertThat((double) logit).as("pair %s", p.id()).isCloseTo(p.expected(), within(1e-4));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(18);
    }
}

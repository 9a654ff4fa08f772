package dev.rerank4j.model.deberta;

import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.weights.TensorSource;
import java.nio.file.Path;

/** The DeBERTa-v2/v3 family: a model directory's config and weights into an encoder. */
public final class Deberta {
    private Deberta() {
    }

    /** The encoder of {@code dir} with its weights from {@code src}; with the classifier when {@code withHead}. */
    public static DebertaEncoder load(Path dir, TensorSource src, boolean withHead, Kernels kernels) {
        DebertaConfig cfg = DebertaConfig.read(dir.resolve("config.json"));
        return new DebertaEncoder(cfg, DebertaWeights.load(src, cfg, withHead, kernels), kernels);
    }
}

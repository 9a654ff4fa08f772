package dev.rerank4j.model;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.Kernels;
import dev.rerank4j.weights.TensorSource;
import java.nio.file.Path;

/**
 * What a family made of a {@code config.json}: enough to know the model's limits without reading weights (the
 * {@code tokenize} command needs only that), and the way to build the model once the weights are open.
 */
public interface ModelSpec {

    Architecture architecture();

    /** The longest input the model can read, in tokens (special tokens included). */
    int maxPositions();

    /** How the model's (query, document) pairs become ids, as {@link Model#pairFormat()} of the loaded model. */
    default PairFormat pairFormat() {
        return PairFormat.TOKENIZER_TEMPLATE;
    }

    /**
     * Builds the model. The tensors are closed after this returns: copy what you keep into the kernels'
     * layout (or keep views the source documents as surviving close).
     */
    Model load(Path directory, TensorSource tensors, Kernels kernels);

    /** As {@link #load(Path, TensorSource, Kernels)}, with float Linear weights quantized to int8 when asked. */
    default Model load(Path directory, TensorSource tensors, Kernels kernels, boolean int8) {
        if (int8) {
            throw new ModelFormatException(directory, architecture().name() + " models have no int8 mode; "
                    + "quantize int8 supports the BERT, JinaBERT and XLM-RoBERTa families");
        }
        return load(directory, tensors, kernels);
    }
}

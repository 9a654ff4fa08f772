package dev.rerank4j.weights;

import dev.rerank4j.ModelFormatException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Named tensors read from model files, under Hugging Face parameter names
 * (e.g. {@code bert.encoder.layer.0.attention.self.query.weight}, logical shape [out, in]).
 * Views stay valid until {@link #close()}.
 */
public interface TensorSource extends AutoCloseable {

    /** The file (or index file) the tensors come from, for error messages. */
    Path origin();

    Set<String> names();

    Optional<Tensor> find(String name);

    default Tensor get(String name) {
        return find(name).orElseThrow(() -> new ModelFormatException(origin(), "tensor '" + name + "' is missing"));
    }

    /** The tensor, checked to have exactly this logical shape. */
    default Tensor get(String name, int... expectedShape) {
        Tensor t = get(name);
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new ModelFormatException(origin(), "tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expectedShape));
        }
        if (!t.dtype().isFloatingPoint() && t.quantization() == null) {
            throw new ModelFormatException(origin(), "tensor '" + name + "' has dtype " + t.dtype()
                    + "; supported: F32, F16, BF16, and I8/U8 with a quantization");
        }
        return t;
    }

    @Override
    void close();
}

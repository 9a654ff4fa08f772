package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.weights.Tensor;
import dev.rerank4j.weights.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weights of an exported ONNX model (fp32, fp16 or bf16), under Hugging Face parameter names.
 *
 * <p>The file is memory-mapped read-only and tensors are views of it, so opening a model copies nothing but
 * the rare weights an exporter wrote as typed repeated fields. Anonymised Linear weights get their module's
 * name and are exposed transposed to the logical [out, in] layout (see {@link WeightNaming}). Integer
 * initializers (position ids and other graph constants) are not weights and are left out.
 *
 * <p>Closing drops this source's references; the JDK unmaps the file once no view is reachable.
 */
public final class OnnxWeights implements TensorSource {
    private final Path origin;
    private final Map<String, Tensor> tensors;
    private final List<String> graphInputs;
    private final List<String> graphOutputs;
    private volatile boolean closed;

    private OnnxWeights(Path origin, Map<String, Tensor> tensors, List<String> graphInputs,
                        List<String> graphOutputs) {
        this.origin = origin;
        this.tensors = tensors;
        this.graphInputs = graphInputs;
        this.graphOutputs = graphOutputs;
    }

    public static OnnxWeights open(Path modelOnnx) {
        OnnxGraph graph = OnnxGraph.read(modelOnnx, map(modelOnnx));
        Map<String, Tensor> tensors = Collections.unmodifiableMap(WeightNaming.name(modelOnnx, graph));
        return new OnnxWeights(modelOnnx, tensors, graph.inputs(), graph.outputs());
    }

    private static ByteBuffer map(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFormatException(file, "ONNX model file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not a regular file; expected an .onnx model file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                // Protobuf caps a message at 2 GB, so a valid larger .onnx file cannot exist: models that big keep
                // their weights in external data files, which this reader maps tensor by tensor.
                throw new ModelFormatException(file, "file is " + size + " bytes; an ONNX protobuf cannot exceed "
                        + "2 GB (larger models store weights as external data next to a small .onnx file)");
            }
            if (size == 0) {
                throw new ModelFormatException(file, "file is empty");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read ONNX model: " + e, e);
        }
    }

    @Override
    public Path origin() {
        return origin;
    }

    @Override
    public Set<String> names() {
        checkOpen();
        return tensors.keySet();
    }

    @Override
    public Optional<Tensor> find(String name) {
        checkOpen();
        return Optional.ofNullable(tensors.get(name));
    }

    /** Names of the graph inputs the caller feeds (e.g. input_ids, attention_mask, token_type_ids). */
    public List<String> graphInputs() {
        return graphInputs;
    }

    public List<String> graphOutputs() {
        return graphOutputs;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(origin + ": weights already closed");
        }
    }
}

package dev.rerank4j.weights.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds small ONNX files in wire format, for tests of layouts and errors the real exports do not show. */
final class OnnxModels {
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int FLOAT16 = 10;
    static final int BFLOAT16 = 16;

    private OnnxModels() {
    }

    /** TensorProto header: dims (unpacked), data_type, name; the caller adds the data. */
    static ProtoWriter tensor(String name, int dataType, int... dims) {
        ProtoWriter t = new ProtoWriter();
        for (int d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, dataType).string(8, name);
    }

    static ProtoWriter floatTensor(String name, int[] dims, float... values) {
        return tensor(name, FLOAT, dims).bytes(9, littleEndian(values));
    }

    static byte[] littleEndian(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static ProtoWriter node(String name, String opType, List<String> inputs, List<String> outputs) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(1, i));
        outputs.forEach(o -> n.string(2, o));
        return n.string(3, name).string(4, opType);
    }

    /** AttributeProto of type INT. */
    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2);
    }

    /** A ModelProto (ir_version 8) around a graph with these nodes and initializers. */
    static byte[] model(List<ProtoWriter> nodes, List<ProtoWriter> initializers) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, "test");
        initializers.forEach(i -> graph.message(5, i));
        return new ProtoWriter().varint(1, 8).string(2, "rerank4j-test").message(7, graph).toBytes();
    }

    static Path write(Path directory, byte[] bytes) {
        try {
            Path file = directory.resolve("model.onnx");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

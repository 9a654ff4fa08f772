package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The parts of an ONNX ModelProto's graph that hold and use weights. */
record OnnxGraph(List<OnnxInitializer> initializers, List<OnnxNode> nodes, List<String> inputs,
                 List<String> outputs) {

    /** ModelProto: graph = 7. GraphProto: node = 1, initializer = 5, input = 11, output = 12, sparse = 15. */
    static OnnxGraph read(Path file, ByteBuffer model) {
        ProtoReader r = ProtoReader.of(file, model, "ModelProto");
        OnnxGraph graph = null;
        while (r.next()) {
            if (r.field() == 7) {
                graph = readGraph(r.embedded("graph"), new ExternalData(file));
            } else {
                r.skip();
            }
        }
        if (graph == null) {
            throw new ModelFormatException(file, "not an ONNX model: ModelProto has no graph (field 7)");
        }
        return graph;
    }

    private static OnnxGraph readGraph(ProtoReader r, ExternalData external) {
        List<OnnxInitializer> initializers = new ArrayList<>();
        List<OnnxNode> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    nodes.add(OnnxNode.read(r.embedded("node[" + nodes.size() + "]")));
                }
                case 5 -> {
                    initializers.add(OnnxInitializer.read(
                            r.embedded("initializer[" + initializers.size() + "]"), external));
                }
                case 11 -> {
                    inputs.add(valueName(r.embedded("input")));
                }
                case 12 -> {
                    outputs.add(valueName(r.embedded("output")));
                }
                case 15 -> throw r.unsupported("sparse initializers are not supported");
                default -> r.skip();
            }
        }
        // Older exports also list every initializer as a graph input; those are not inputs the caller feeds.
        List<String> initializerNames = initializers.stream().map(OnnxInitializer::name).toList();
        inputs.removeAll(initializerNames);
        return new OnnxGraph(List.copyOf(initializers), List.copyOf(nodes), List.copyOf(inputs),
                List.copyOf(outputs));
    }

    /** ValueInfoProto: name = 1. */
    private static String valueName(ProtoReader r) {
        String name = "";
        while (r.next()) {
            if (r.field() == 1) {
                name = r.string();
            } else {
                r.skip();
            }
        }
        return name;
    }
}

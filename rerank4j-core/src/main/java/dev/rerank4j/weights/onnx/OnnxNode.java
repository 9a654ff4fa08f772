package dev.rerank4j.weights.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A NodeProto, reduced to what naming and orienting weights needs: its wiring and its integer attributes. */
record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Long> intAttributes) {

    String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }

    long intAttribute(String attribute, long fallback) {
        return intAttributes.getOrDefault(attribute, fallback);
    }

    /** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7. */
    static OnnxNode read(ProtoReader r) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Long> ints = new HashMap<>();
        String name = "";
        String opType = "";
        String domain = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> opType = r.string();
                case 5 -> {
                    readIntAttribute(r.embedded("attribute"), ints);
                }
                case 7 -> domain = r.string();
                default -> r.skip();
            }
        }
        return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(ints));
    }

    /** AttributeProto: name = 1, i = 3, type = 20 (INT = 2). Other attribute kinds are not needed. */
    private static void readIntAttribute(ProtoReader r, Map<String, Long> into) {
        String name = "";
        Long value = null;
        long type = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 3 -> {
                    r.expect(ProtoReader.VARINT, "i");
                    value = r.varint();
                }
                case 20 -> {
                    r.expect(ProtoReader.VARINT, "type");
                    type = r.varint();
                }
                default -> r.skip();
            }
        }
        if (value != null && (type == 2 || type == 0)) {
            into.put(name, value);
        }
    }
}

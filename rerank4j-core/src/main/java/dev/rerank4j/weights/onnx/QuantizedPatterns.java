package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Quantization;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The two shapes onnxruntime's {@code quantize_dynamic} gives a quantized weight, read back as one 8-bit tensor
 * with its {@link Quantization}:
 * <ul>
 * <li>a Linear: {@code DynamicQuantizeLinear(x) -> (xq, xs, xz)}, {@code MatMulInteger(xq, Wq, xz, Wz)},
 * {@code Cast(to FLOAT)}, {@code Mul(., Mul(xs, Ws))}, then the bias Add as in the float graph. Wq is stored
 * [in, out] with per-tensor or per-output-channel Ws and Wz; the tensor is exposed [out, in].</li>
 * <li>an embedding table: {@code Gather(Wq, ids)} then {@code DequantizeLinear(., Ws, Wz)} (per-tensor), exposed
 * under the float table's name (the initializer's name without {@code _quantized}).</li>
 * </ul>
 * The activation side (per-tensor uint8, scale {@code (max(0, max) - min(0, min)) / 255}) is the kernels' business;
 * this class only checks that the graph feeds each MatMulInteger that way.
 */
final class QuantizedPatterns {

    /** A quantized Linear: its weight, and the node whose output the float graph's bias Add consumes. */
    record Linear(OnnxInitializer weight, Quantization quantization, OnnxNode integerMatMul, OnnxNode output) {}

    private final Path file;
    private final Map<String, OnnxInitializer> weights;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Function<String, List<OnnxNode>> consumers;
    private final Map<String, Linear> linears = new HashMap<>();
    private final Map<String, Tensor> tables = new HashMap<>();
    private final Set<String> consumed = new HashSet<>();

    QuantizedPatterns(Path file, OnnxGraph graph, Map<String, OnnxInitializer> weights,
                      Function<String, List<OnnxNode>> consumers) {
        this.file = file;
        this.weights = weights;
        this.consumers = consumers;
        for (OnnxNode node : graph.nodes()) {
            node.outputs().forEach(o -> producers.put(o, node));
        }
        for (OnnxNode node : graph.nodes()) {
            switch (node.opType()) {
                case "MatMulInteger" -> readLinear(node);
                case "DequantizeLinear" -> readTable(node);
                default -> { }
            }
        }
    }

    /** Quantized Linears by the name of their 8-bit weight initializer. */
    Map<String, Linear> linears() {
        return linears;
    }

    /** Dequantized-on-lookup tables (embeddings) under their float names. */
    Map<String, Tensor> tables() {
        return tables;
    }

    /** Initializers that belong to a quantized weight (its integers, scales, zero points). */
    boolean isPart(String initializer) {
        return consumed.contains(initializer);
    }

    private void readLinear(OnnxNode mm) {
        OnnxInitializer w = weights.get(mm.input(1));
        OnnxNode dql = producers.get(mm.input(0));
        if (w == null || w.dims().length != 2 || !eightBit(w)) {
            throw notThePattern(mm, "input B is not a 2-D INT8/UINT8 initializer");
        }
        if (dql == null || !dql.opType().equals("DynamicQuantizeLinear") || dql.outputs().size() != 3
                || !dql.outputs().get(2).equals(mm.input(2))) {
            throw notThePattern(mm, "input A and its zero point do not come from one DynamicQuantizeLinear");
        }
        OnnxNode cast = only(mm.outputs().get(0), "Cast", mm);
        if (cast.intAttribute("to", 0) != OnnxDataType.FLOAT.code()) {
            throw notThePattern(mm, "its output is not cast to FLOAT");
        }
        OnnxNode rescale = only(cast.outputs().get(0), "Mul", mm);
        String scalesName = rescale.input(0).equals(cast.outputs().get(0)) ? rescale.input(1) : rescale.input(0);
        OnnxNode scales = producers.get(scalesName);
        if (scales == null || !scales.opType().equals("Mul") || !scales.inputs().contains(dql.outputs().get(1))) {
            throw notThePattern(mm, "the Mul after its Cast is not by (activation scale * weight scale)");
        }
        String weightScale = scales.input(0).equals(dql.outputs().get(1)) ? scales.input(1) : scales.input(0);
        int out = w.dims()[1];
        float[] s = floats(weightScale, out, mm);
        int[] z = mm.input(3).isEmpty() ? new int[s.length] : ints(mm.input(3), out, mm);
        if (s.length != z.length) {
            throw notThePattern(mm, "weight scale and zero point differ in length (" + s.length + " and " + z.length + ")");
        }
        consumed.add(w.name());
        consumed.add(weightScale);
        consumed.add(mm.input(3));
        linears.put(w.name(), new Linear(w, new Quantization(s, z), mm, rescale));
    }

    private void readTable(OnnxNode dq) {
        OnnxNode gather = producers.get(dq.input(0));
        OnnxInitializer table = gather == null || !gather.opType().equals("Gather") ? null : weights.get(gather.input(0));
        if (table == null || !eightBit(table) || table.dims().length != 2 || gather.intAttribute("axis", 0) != 0) {
            throw new ModelFormatException(file, "DequantizeLinear '" + dq.name() + "' is not the dequantization "
                    + "of a looked-up table row (Gather of an 8-bit initializer on axis 0), the only "
                    + "DequantizeLinear rerank4j reads");
        }
        float[] s = floats(dq.input(1), 1, dq);
        int[] z = dq.input(2).isEmpty() ? new int[1] : ints(dq.input(2), 1, dq);
        if (s.length != 1 || z.length != 1) {
            throw new ModelFormatException(file, "DequantizeLinear '" + dq.name() + "' of table '" + table.name()
                    + "' is per-axis; only per-tensor table quantization is supported");
        }
        String name = table.name().endsWith("_quantized")
                ? table.name().substring(0, table.name().length() - "_quantized".length()) : table.name();
        consumed.add(table.name());
        consumed.add(dq.input(1));
        consumed.add(dq.input(2));
        tables.put(name, Tensor.quantized(name, table.type().dtype(), table.dims(), table.data(),
                Quantization.perTensor(s[0], z[0])));
    }

    private OnnxNode only(String tensor, String op, OnnxNode from) {
        List<OnnxNode> next = consumers.apply(tensor);
        if (next.size() != 1 || !next.get(0).opType().equals(op)) {
            throw notThePattern(from, "'" + tensor + "' should feed exactly one " + op);
        }
        return next.get(0);
    }

    /** A scalar or a vector of {@code n} FLOAT values from an initializer. */
    private float[] floats(String name, int n, OnnxNode user) {
        OnnxInitializer init = vector(name, n, user);
        if (init.type() != OnnxDataType.FLOAT) {
            throw notThePattern(user, "scale '" + name + "' is " + init.type() + ", not FLOAT");
        }
        ByteBuffer d = init.data();
        float[] out = new float[d.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.getFloat(d.position() + 4 * i);
        }
        return out;
    }

    /** A scalar or a vector of {@code n} INT8/UINT8 zero points from an initializer. */
    private int[] ints(String name, int n, OnnxNode user) {
        OnnxInitializer init = vector(name, n, user);
        if (!eightBit(init)) {
            throw notThePattern(user, "zero point '" + name + "' is " + init.type() + ", not INT8/UINT8");
        }
        ByteBuffer d = init.data();
        int[] out = new int[d.remaining()];
        for (int i = 0; i < out.length; i++) {
            byte b = d.get(d.position() + i);
            out[i] = init.type() == OnnxDataType.UINT8 ? b & 0xff : b;
        }
        return out;
    }

    private OnnxInitializer vector(String name, int n, OnnxNode user) {
        OnnxInitializer init = weights.get(name);
        if (init == null) {
            throw notThePattern(user, "'" + name + "' is not an initializer");
        }
        long count = 1;
        for (int d : init.dims()) {
            count *= d;
        }
        if (init.dims().length > 1 || (count != 1 && count != n)) {
            throw notThePattern(user, "'" + name + "' has shape " + java.util.Arrays.toString(init.dims())
                    + "; expected a scalar or [" + n + "]");
        }
        return init;
    }

    private static boolean eightBit(OnnxInitializer init) {
        return init.type().dtype() == DType.I8 || init.type().dtype() == DType.U8;
    }

    private ModelFormatException notThePattern(OnnxNode node, String problem) {
        return new ModelFormatException(file, node.opType() + " '" + node.name() + "' is not in the pattern "
                + "onnxruntime's quantize_dynamic writes: " + problem);
    }
}

package dev.rerank4j.weights.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test's own version of onnxruntime's {@code quantize_dynamic}: every MatMul whose B is a 2-D float initializer
 * becomes DynamicQuantizeLinear(A) + MatMulInteger + Cast + Mul by (activation scale * weight scale), the graph
 * otherwise copied field by field. Weights: int8 symmetric per output channel, or uint8 asymmetric per tensor.
 *
 * <p>The int8 weights use quantize_dynamic's {@code reduce_range=True} (7 bits, [-64, 64]): ONNX Runtime's uint8 x
 * int8 kernel on AVX2 without VNNI multiplies with vpmaddubsw, whose pairwise sums saturate at 16 bits, so with
 * full-range weights its results are not the exact integer products the ONNX operator defines (the reason
 * onnxruntime's documentation recommends reduce_range on such machines); with 7-bit weights no pair can saturate.
 */
final class QuantizeDynamic {
    static final int UINT8 = 2;
    static final int INT8 = 3;

    private final Path file;
    private final ByteBuffer model;
    private final boolean perChannel;
    private final Map<String, OnnxInitializer> weights = new LinkedHashMap<>();

    private QuantizeDynamic(Path file, ByteBuffer model, boolean perChannel) {
        this.file = file;
        this.model = model;
        this.perChannel = perChannel;
        OnnxGraph graph = OnnxGraph.read(file, model);
        Map<String, OnnxInitializer> all = new HashMap<>();
        graph.initializers().forEach(i -> all.put(i.name(), i));
        for (OnnxNode node : graph.nodes()) {
            OnnxInitializer w = all.get(node.input(1));
            if (node.opType().equals("MatMul") && w != null && w.type() == OnnxDataType.FLOAT && w.dims().length == 2) {
                weights.put(w.name(), w);
            }
        }
    }

    /** The transformed ModelProto. */
    static byte[] transform(Path file, byte[] onnx, boolean perChannel) {
        return new QuantizeDynamic(file, ByteBuffer.wrap(onnx), perChannel).modelProto();
    }

    private byte[] modelProto() {
        ProtoWriter out = new ProtoWriter();
        ProtoReader r = ProtoReader.of(file, model, "ModelProto");
        int start = r.position();
        while (r.next()) {
            if (r.field() == 7) {
                out.bytes(7, graph(r.embedded("graph")));
            } else {
                r.skip();
                out.raw(copy(start, r.position()));
            }
            start = r.position();
        }
        return out.toBytes();
    }

    private byte[] graph(ProtoReader g) {
        ProtoWriter out = new ProtoWriter();
        ExternalData external = new ExternalData(file);
        int start = g.position();
        while (g.next()) {
            if (g.field() == 1) {
                OnnxNode node = OnnxNode.read(g.embedded("node"));
                OnnxInitializer w = node.opType().equals("MatMul") ? weights.get(node.input(1)) : null;
                if (w != null) {
                    replace(node, out);
                } else {
                    out.raw(copy(start, g.position()));
                }
            } else if (g.field() == 5) {
                OnnxInitializer init = OnnxInitializer.read(g.embedded("initializer"), external);
                if (!weights.containsKey(init.name())) {
                    out.raw(copy(start, g.position()));
                }
            } else {
                g.skip();
                out.raw(copy(start, g.position()));
            }
            start = g.position();
        }
        weights.values().forEach(w -> initializers(w, out));
        return out.toBytes();
    }

    /** The five nodes quantize_dynamic writes for one MatMul, named as it names them. */
    private static void replace(OnnxNode mm, ProtoWriter out) {
        String n = mm.name();
        String w = mm.input(1);
        out.message(1, OnnxModels.node(n + "_QuantizeLinear", "DynamicQuantizeLinear", List.of(mm.input(0)),
                List.of(n + "/xq", n + "/xs", n + "/xz")));
        out.message(1, OnnxModels.node(n + "_quant_scales_mul", "Mul", List.of(n + "/xs", w + "_scale"),
                List.of(n + "/scales")));
        out.message(1, OnnxModels.node(n + "_quant", "MatMulInteger",
                List.of(n + "/xq", w + "_quantized", n + "/xz", w + "_zero_point"), List.of(n + "/int")));
        out.message(1, OnnxModels.node(n + "/cast", "Cast", List.of(n + "/int"), List.of(n + "/float"))
                .message(5, OnnxModels.intAttribute("to", OnnxModels.FLOAT)));
        out.message(1, OnnxModels.node(n + "_quant_output_scale_mul", "Mul", List.of(n + "/float", n + "/scales"),
                mm.outputs()));
    }

    /** The weight's integers ([in, out], as the float one), scales and zero points. */
    private void initializers(OnnxInitializer w, ProtoWriter out) {
        int k = w.dims()[0];
        int n = w.dims()[1];
        ByteBuffer f = w.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[k * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.getFloat(f.position() + 4 * i);
        }
        byte[] q = new byte[k * n];
        int channels = perChannel ? n : 1;
        float[] scales = new float[channels];
        byte[] zeroPoints = new byte[channels];
        if (perChannel) {
            for (int c = 0; c < n; c++) {
                float max = 0f;
                for (int r = 0; r < k; r++) {
                    max = Math.max(max, Math.abs(values[r * n + c]));
                }
                scales[c] = max == 0f ? 1f : max / 64f;
                for (int r = 0; r < k; r++) {
                    q[r * n + c] = (byte) Math.max(-64, Math.min(64, Math.rint(values[r * n + c] / scales[c])));
                }
            }
        } else {
            float min = 0f;
            float max = 0f;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            scales[0] = (max - min) / 255f;
            int zp = (int) Math.rint(-min / scales[0]);
            zeroPoints[0] = (byte) zp;
            for (int i = 0; i < values.length; i++) {
                q[i] = (byte) Math.max(0, Math.min(255, Math.rint(values[i] / scales[0]) + zp));
            }
        }
        int type = perChannel ? INT8 : UINT8;
        int[] vector = perChannel ? new int[] {n} : new int[0];
        out.message(5, OnnxModels.tensor(w.name() + "_quantized", type, k, n).bytes(9, q));
        out.message(5, OnnxModels.tensor(w.name() + "_scale", OnnxModels.FLOAT, vector)
                .bytes(9, OnnxModels.littleEndian(scales)));
        out.message(5, OnnxModels.tensor(w.name() + "_zero_point", type, vector).bytes(9, zeroPoints));
    }

    private byte[] copy(int from, int to) {
        byte[] b = new byte[to - from];
        model.get(from, b);
        return b;
    }
}

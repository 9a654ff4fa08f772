package dev.rerank4j.weights.onnx;

import static dev.rerank4j.weights.onnx.OnnxModels.BFLOAT16;
import static dev.rerank4j.weights.onnx.OnnxModels.FLOAT;
import static dev.rerank4j.weights.onnx.OnnxModels.FLOAT16;
import static dev.rerank4j.weights.onnx.OnnxModels.INT64;
import static dev.rerank4j.weights.onnx.OnnxModels.floatTensor;
import static dev.rerank4j.weights.onnx.OnnxModels.model;
import static dev.rerank4j.weights.onnx.OnnxModels.tensor;
import static dev.rerank4j.weights.onnx.OnnxModels.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.weights.DType;
import dev.rerank4j.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways a TensorProto can hold its elements, each read to the same values. */
class OnnxWeightsEncodingTest {
    private static final float[] VALUES = {1.5f, -2.25f, 0f, 65504f, -0.0009765625f, 3f};

    @TempDir
    Path dir;

    private Tensor only(byte[] model, String name) {
        try (OnnxWeights w = OnnxWeights.open(write(dir, model))) {
            assertThat(w.names()).containsExactly(name);
            return w.get(name);
        }
    }

    @Test
    void rawDataIsReadInPlace() {
        Tensor t = only(model(List.of(), List.of(floatTensor("a.weight", new int[] {2, 3}, VALUES))), "a.weight");
        assertThat(t.dtype()).isEqualTo(DType.F32);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.toFloats()).containsExactly(VALUES);
    }

    @Test
    void packedFloatData() {
        byte[] packed = OnnxModels.littleEndian(VALUES);
        Tensor t = only(model(List.of(), List.of(tensor("a.weight", FLOAT, 2, 3).bytes(4, packed))), "a.weight");
        assertThat(t.toFloats()).containsExactly(VALUES);
    }

    @Test
    void unpackedFloatData() {
        ProtoWriter proto = tensor("a.weight", FLOAT, 2, 3);
        for (float v : VALUES) {
            proto.fixed32(4, Float.floatToRawIntBits(v));
        }
        assertThat(only(model(List.of(), List.of(proto)), "a.weight").toFloats()).containsExactly(VALUES);
    }

    @Test
    void float16InRawDataAndInInt32Data() {
        ByteBuffer raw = ByteBuffer.allocate(VALUES.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        ProtoWriter unpacked = tensor("b.weight", FLOAT16, 6);
        ProtoWriter packedHalves = new ProtoWriter();
        for (float v : VALUES) {
            short h = Float.floatToFloat16(v);
            raw.putShort(h);
            unpacked.varint(5, h & 0xffff);
            packedHalves.raw(varint(h & 0xffff));
        }
        Tensor fromRaw = only(model(List.of(), List.of(tensor("a.weight", FLOAT16, 6).bytes(9, raw.array()))),
                "a.weight");
        assertThat(fromRaw.dtype()).isEqualTo(DType.F16);
        assertThat(fromRaw.toFloats()).containsExactly(VALUES);
        assertThat(only(model(List.of(), List.of(unpacked)), "b.weight").toFloats()).containsExactly(VALUES);
        ProtoWriter packed = tensor("c.weight", FLOAT16, 6).bytes(5, packedHalves.toBytes());
        assertThat(only(model(List.of(), List.of(packed)), "c.weight").toFloats()).containsExactly(VALUES);
    }

    @Test
    void bfloat16RawData() {
        float[] exact = {1.5f, -2.25f, 0f, 3f};
        ByteBuffer raw = ByteBuffer.allocate(exact.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : exact) {
            raw.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        Tensor t = only(model(List.of(), List.of(tensor("a.weight", BFLOAT16, 4).bytes(9, raw.array()))), "a.weight");
        assertThat(t.dtype()).isEqualTo(DType.BF16);
        assertThat(t.toFloats()).containsExactly(exact);
    }

    @Test
    void integerInitializersAreNotWeights() {
        byte[] ids = new byte[16];
        byte[] model = model(List.of(), List.of(tensor("embeddings.position_ids", INT64, 1, 2).bytes(9, ids),
                floatTensor("a.weight", new int[] {1}, 7f)));
        assertThat(only(model, "a.weight").toFloats()).containsExactly(7f);
    }

    @Test
    void externalDataIsMappedFromTheFileNextToTheModel() throws Exception {
        byte[] payload = new byte[8 + VALUES.length * 4];
        System.arraycopy(OnnxModels.littleEndian(VALUES), 0, payload, 8, VALUES.length * 4);
        Files.write(dir.resolve("model.onnx.data"), payload);
        ProtoWriter proto = tensor("a.weight", FLOAT, 3, 2)
                .message(13, new ProtoWriter().string(1, "location").string(2, "model.onnx.data"))
                .message(13, new ProtoWriter().string(1, "offset").string(2, "8"))
                .message(13, new ProtoWriter().string(1, "length").string(2, String.valueOf(VALUES.length * 4)))
                .varint(14, 1);
        Tensor t = only(model(List.of(), List.of(proto)), "a.weight");
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.toFloats()).containsExactly(VALUES);
    }

    private static byte[] varint(int value) {
        return value < 0x80 ? new byte[] {(byte) value}
                : value < 0x4000 ? new byte[] {(byte) (value | 0x80), (byte) (value >>> 7)}
                : new byte[] {(byte) (value | 0x80), (byte) ((value >>> 7) | 0x80), (byte) (value >>> 14)};
    }
}

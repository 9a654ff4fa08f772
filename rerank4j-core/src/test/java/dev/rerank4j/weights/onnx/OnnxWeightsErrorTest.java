package dev.rerank4j.weights.onnx;

import static dev.rerank4j.weights.onnx.OnnxModels.FLOAT;
import static dev.rerank4j.weights.onnx.OnnxModels.STRING;
import static dev.rerank4j.weights.onnx.OnnxModels.floatTensor;
import static dev.rerank4j.weights.onnx.OnnxModels.model;
import static dev.rerank4j.weights.onnx.OnnxModels.tensor;
import static dev.rerank4j.weights.onnx.OnnxModels.write;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.ModelFormatException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an .onnx file can be unusable is reported with the file and the problem. */
class OnnxWeightsErrorTest {
    private static final Path JINA = Path.of("../testdata/models/jinabert-mini/onnx/model.onnx");

    @TempDir
    Path dir;

    private void fails(Path file, String message) {
        assertThatThrownBy(() -> OnnxWeights.open(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": " + message)
                .extracting(e -> ((ModelFormatException) e).file()).isEqualTo(file);
    }

    private void fails(byte[] model, String message) {
        fails(write(dir, model), message);
    }

    @Test
    void missingFileDirectoryAndEmptyFile() throws Exception {
        fails(dir.resolve("nope.onnx"), "ONNX model file not found");
        fails(dir, "not a regular file; expected an .onnx model file");
        fails(Files.createFile(dir.resolve("empty.onnx")), "file is empty");
    }

    @Test
    void fileOverTwoGigabytes() throws Exception {
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        fails(big, "file is 3221225472 bytes; an ONNX protobuf cannot exceed 2 GB (larger models store weights as "
                + "external data next to a small .onnx file)");
    }

    @Test
    void truncatedRealExportNamesTheOffsetAndTheField() throws Exception {
        byte[] whole = Files.readAllBytes(JINA);
        // ir_version, producer_name and producer_version take bytes 0..18; the graph's tag is at 19, its 4-byte
        // length at 20, its contents from 24.
        fails(Arrays.copyOf(whole, 1_000_000), "corrupt ONNX protobuf at byte 20 in ModelProto: field 7 declares "
                + "21318638 bytes but only 999976 remain in the message");
        fails(Arrays.copyOf(whole, whole.length - 10), "corrupt ONNX protobuf at byte 20 in ModelProto: field 7 "
                + "declares 21318638 bytes but only 21318632 remain in the message");
    }

    @Test
    void corruptNestedMessageNamesItsPath() {
        // The model header takes bytes 0..18 and the graph's name 19..24; the initializer's contents start at 27,
        // its dims, data_type and name take 14 bytes, raw_data's tag is at 41 and its length at 42.
        ProtoWriter badTensor = tensor("a.weight", FLOAT, 2).raw((byte) 0x4a, (byte) 0x05, (byte) 1);
        fails(model(List.of(), List.of(badTensor)), "corrupt ONNX protobuf at byte 42 in "
                + "ModelProto.graph.initializer[0]: field 9 declares 5 bytes but only 1 remain in the message");
        fails(new ProtoWriter().raw((byte) 0x0b).toBytes(),
                "corrupt ONNX protobuf at byte 0 in ModelProto: field 1 has unsupported wire type 3");
        fails(new ProtoWriter().raw((byte) 0x08, (byte) 0xff, (byte) 0xff).toBytes(),
                "corrupt ONNX protobuf at byte 1 in ModelProto: varint runs past the end of the message "
                        + "(ends at byte 3)");
        fails(new ProtoWriter().raw((byte) 0x02, (byte) 0x00).toBytes(),
                "corrupt ONNX protobuf at byte 0 in ModelProto: invalid field number 0");
        byte[] elevenByteVarint = {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
        fails(elevenByteVarint, "corrupt ONNX protobuf at byte 1 in ModelProto: varint longer than 10 bytes");
        ProtoWriter badName = new ProtoWriter().bytes(3, new byte[] {'o', (byte) 0xff, 'k'});
        fails(new ProtoWriter().message(7, new ProtoWriter().message(1, badName)).toBytes(),
                "corrupt ONNX protobuf at byte 4 in ModelProto.graph.node[0]: field 3 is not valid UTF-8");
        fails(new ProtoWriter().varint(1, 8).string(2, "not-onnx").toBytes(),
                "not an ONNX model: ModelProto has no graph (field 7)");
        fails(new ProtoWriter().varint(7, 1).toBytes(),
                "corrupt ONNX protobuf at byte 0 in ModelProto: field 7 (graph) has wire type 0, "
                        + "expected 2");
    }

    @Test
    void unsupportedAndUnknownDataTypes() {
        fails(model(List.of(), List.of(tensor("vocab", STRING, 1).bytes(6, new byte[] {'a'}))),
                "initializer 'vocab' has data type STRING, which rerank4j cannot read (weights must be FLOAT, "
                        + "FLOAT16, BFLOAT16, or INT8/UINT8 quantized)");
        fails(model(List.of(), List.of(tensor("a.weight", 99, 1))), "initializer 'a.weight' has unknown data type 99");
    }

    @Test
    void dataOfTheWrongSizeOrNoDataAtAll() {
        fails(model(List.of(), List.of(floatTensor("a.weight", new int[] {2, 2}, 1, 2, 3))),
                "initializer 'a.weight' of type FLOAT and shape [2, 2] needs 16 bytes of data but has 12");
        fails(model(List.of(), List.of(tensor("a.weight", FLOAT, 4))), "initializer 'a.weight' has no data");
        fails(model(List.of(), List.of(tensor("a.weight", FLOAT, 65536, 8192))),
                "initializer 'a.weight' of shape [65536, 8192] is too large: rerank4j reads tensors of up to 2 GB");
        fails(model(List.of(), List.of(tensor("a.weight", FLOAT, -1))), "corrupt ONNX protobuf at byte 28 in "
                + "ModelProto.graph.initializer[0]: dimension -1 is out of range");
        fails(model(List.of(), List.of(tensor("", FLOAT, 1).bytes(9, new byte[4]))),
                "corrupt ONNX protobuf at byte 27 in ModelProto.graph.initializer[0]: initializer '' has no name");
    }

    @Test
    void externalDataProblems() throws Exception {
        fails(model(List.of(), List.of(external("../outside.bin"))),
                "initializer 'a.weight' has external data at '../outside.bin', outside the model's directory");
        fails(model(List.of(), List.of(external("missing.bin"))), "initializer 'a.weight': cannot read external "
                + "data file " + dir.toAbsolutePath().resolve("missing.bin") + ": java.nio.file.NoSuchFileException: "
                + dir.toAbsolutePath().resolve("missing.bin"));
        Files.write(dir.resolve("short.bin"), new byte[6]);
        fails(model(List.of(), List.of(external("short.bin"))), "initializer 'a.weight' reads bytes 0..8 of "
                + dir.toAbsolutePath().resolve("short.bin") + ", which has only 6");
    }

    @Test
    void sparseAndSegmentedTensorsAreUnsupported() {
        byte[] sparse = new ProtoWriter().message(7, new ProtoWriter().message(15, new ProtoWriter())).toBytes();
        fails(sparse, "sparse initializers are not supported (ModelProto.graph, field 15 at byte 2)");
        ProtoWriter segmented = tensor("a.weight", FLOAT, 1).message(3, new ProtoWriter().varint(1, 0));
        fails(model(List.of(), List.of(segmented)),
                "segmented tensors are not supported (ModelProto.graph.initializer[0], field 3 at byte 41)");
    }

    private static ProtoWriter external(String location) {
        return tensor("a.weight", FLOAT, 2)
                .message(13, new ProtoWriter().string(1, "location").string(2, location))
                .varint(14, 1);
    }
}

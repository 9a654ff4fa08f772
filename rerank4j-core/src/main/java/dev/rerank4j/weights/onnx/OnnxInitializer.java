package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One graph initializer (a TensorProto). {@code data} is set only for weights: little-endian elements of
 * {@code type.dtype()}, a slice of the mapped file when the exporter wrote raw_data (the usual case), a copy
 * when it wrote the typed repeated fields.
 */
record OnnxInitializer(String name, OnnxDataType type, int[] dims, ByteBuffer data) {

    // TensorProto field numbers.
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int SEGMENT = 3;
    private static final int FLOAT_DATA = 4;
    private static final int INT32_DATA = 5;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int EXTERNAL_DATA = 13;
    private static final int DATA_LOCATION = 14;
    private static final int LOCATION_EXTERNAL = 1;

    boolean isWeight() {
        return data != null;
    }

    static OnnxInitializer read(ProtoReader r, ExternalData external) {
        int start = r.position();
        List<Integer> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        ByteBuffer raw = null;
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        int typedCount = 0;
        Map<String, String> externalData = new LinkedHashMap<>();
        int dataLocation = 0;
        while (r.next()) {
            switch (r.field()) {
                case DIMS -> {
                    if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = r.embedded("dims");
                        while (packed.hasRemaining()) {
                            dims.add(packed.nonNegativeInt("dimension"));
                        }
                    } else {
                        r.expect(ProtoReader.VARINT, "dims");
                        dims.add(r.nonNegativeInt("dimension"));
                    }
                }
                case DATA_TYPE -> {
                    r.expect(ProtoReader.VARINT, "data_type");
                    dataType = r.nonNegativeInt("data_type");
                }
                case NAME -> {
                    name = r.string();
                }
                case RAW_DATA -> {
                    raw = r.bytes();
                }
                case FLOAT_DATA -> typedCount += readFloats(r, typed);
                case INT32_DATA -> typedCount += readHalves(r, typed);
                case SEGMENT -> throw r.unsupported("segmented tensors are not supported");
                case EXTERNAL_DATA -> {
                    readEntry(r.embedded("external_data"), externalData);
                }
                case DATA_LOCATION -> {
                    r.expect(ProtoReader.VARINT, "data_location");
                    dataLocation = r.nonNegativeInt("data_location");
                }
                default -> r.skip();
            }
        }
        String label = "initializer '" + (name == null ? "<unnamed at byte " + start + ">" : name) + "'";
        if (name == null || name.isEmpty()) {
            throw r.corrupt(start, label + " has no name");
        }
        int dt = dataType;
        OnnxDataType type = OnnxDataType.of(dataType)
                .orElseThrow(() -> new ModelFormatException(external.modelFile(),
                        label + " has unknown data type " + dt));
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        return switch (type.role()) {
            case UNSUPPORTED -> throw new ModelFormatException(external.modelFile(), label + " has data type "
                    + type + ", which rerank4j cannot read (weights must be FLOAT, FLOAT16 or BFLOAT16)");
            case CONSTANT -> new OnnxInitializer(name, type, shape, null);
            case WEIGHT -> {
                long bytes = byteSize(shape, type, label, external);
                ByteBuffer data;
                if (dataLocation == LOCATION_EXTERNAL) {
                    data = external.map(label, externalData, bytes);
                } else if (raw != null) {
                    data = raw;
                } else if (typedCount > 0 || bytes == 0) {
                    data = ByteBuffer.wrap(typed.toByteArray());
                } else {
                    throw new ModelFormatException(external.modelFile(), label + " has no data");
                }
                if (data.remaining() != bytes) {
                    throw new ModelFormatException(external.modelFile(), label + " of type " + type + " and shape "
                            + dims + " needs " + bytes + " bytes of data but has " + data.remaining());
                }
                yield new OnnxInitializer(name, type, shape, data.order(ByteOrder.LITTLE_ENDIAN));
            }
        };
    }

    private static long byteSize(int[] shape, OnnxDataType type, String label, ExternalData external) {
        long count = 1;
        for (int d : shape) {
            count *= d; // both factors stay below 2^31, so the product cannot overflow a long
            if (count > Integer.MAX_VALUE) {
                throw new ModelFormatException(external.modelFile(), label + " is too large: rerank4j reads tensors "
                        + "of up to 2^31 bytes");
            }
        }
        long bytes = count * type.dtype().bytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new ModelFormatException(external.modelFile(), label + " is too large: " + bytes
                    + " bytes; rerank4j reads tensors of up to 2^31 bytes");
        }
        return bytes;
    }

    /** float_data: packed (one length-delimited run of fixed32) or unpacked (one fixed32 per field). */
    private static int readFloats(ProtoReader r, ByteArrayOutputStream out) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ByteBuffer packed = r.bytes();
            if (packed.remaining() % 4 != 0) {
                throw r.corrupt(r.position(), "packed float_data has " + packed.remaining()
                        + " bytes, not a multiple of 4");
            }
            byte[] copy = new byte[packed.remaining()];
            packed.get(copy);
            out.writeBytes(copy);
            return copy.length / 4;
        }
        r.expect(ProtoReader.FIXED32, "float_data");
        writeLittleEndian(out, r.fixed32(), 4);
        return 1;
    }

    /** int32_data holds the 16-bit patterns of FLOAT16 and BFLOAT16 tensors, one per varint. */
    private static int readHalves(ProtoReader r, ByteArrayOutputStream out) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = r.embedded("int32_data");
            int n = 0;
            while (packed.hasRemaining()) {
                writeLittleEndian(out, (int) packed.varint(), 2);
                n++;
            }
            return n;
        }
        r.expect(ProtoReader.VARINT, "int32_data");
        writeLittleEndian(out, (int) r.varint(), 2);
        return 1;
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write(value >>> (8 * i));
        }
    }

    /** StringStringEntryProto: key = 1, value = 2. */
    private static void readEntry(ProtoReader r, Map<String, String> into) {
        String key = "";
        String value = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = r.string();
                case 2 -> value = r.string();
                default -> r.skip();
            }
        }
        into.put(key, value);
    }
}

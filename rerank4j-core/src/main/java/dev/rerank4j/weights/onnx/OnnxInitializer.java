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
        Fields f = Fields.read(r);
        String label = "initializer '" + f.name + "'";
        if (f.name.isEmpty()) {
            throw r.corrupt(f.start, label + " has no name");
        }
        OnnxDataType type = OnnxDataType.of(f.dataType).orElseThrow(() -> new ModelFormatException(
                external.modelFile(), label + " has unknown data type " + f.dataType));
        int[] shape = f.dims.stream().mapToInt(Integer::intValue).toArray();
        return switch (type.role()) {
            case UNSUPPORTED -> throw new ModelFormatException(external.modelFile(), label + " has data type "
                    + type + ", which rerank4j cannot read (weights must be FLOAT, FLOAT16, BFLOAT16, or INT8/UINT8 quantized)");
            case CONSTANT -> new OnnxInitializer(f.name, type, shape, null);
            case WEIGHT -> new OnnxInitializer(f.name, type, shape, weightData(f, type, label, external));
        };
    }

    private static ByteBuffer weightData(Fields f, OnnxDataType type, String label, ExternalData external) {
        long bytes = type.dtype().bytes();
        for (int d : f.dims) {
            bytes *= d; // both factors are below 2^31, so the product cannot overflow a long
            if (bytes > Integer.MAX_VALUE) {
                throw new ModelFormatException(external.modelFile(), label + " of shape " + f.dims
                        + " is too large: rerank4j reads tensors of up to 2 GB");
            }
        }
        ByteBuffer data;
        if (f.dataLocation == LOCATION_EXTERNAL) {
            data = external.map(label, f.externalData, bytes);
        } else if (f.raw != null) {
            data = f.raw;
        } else if (f.typed.size() > 0 || f.ints.size() > 0 || bytes == 0) {
            // int32_data holds one element per varint: the 16-bit patterns of FLOAT16 and BFLOAT16, the 8-bit integers.
            f.ints.forEach(v -> writeLittleEndian(f.typed, v, type.dtype().bytes()));
            data = ByteBuffer.wrap(f.typed.toByteArray());
        } else {
            throw new ModelFormatException(external.modelFile(), label + " has no data");
        }
        if (data.remaining() != bytes) {
            throw new ModelFormatException(external.modelFile(), label + " of type " + type + " and shape "
                    + f.dims + " needs " + bytes + " bytes of data but has " + data.remaining());
        }
        return data.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The TensorProto fields as found, before they are checked against each other. */
    private static final class Fields {
        final List<Integer> dims = new ArrayList<>();
        final ByteArrayOutputStream typed = new ByteArrayOutputStream();
        final List<Integer> ints = new ArrayList<>();
        final Map<String, String> externalData = new LinkedHashMap<>();
        int start;
        int dataType;
        String name = "";
        ByteBuffer raw;
        int dataLocation;

        static Fields read(ProtoReader r) {
            Fields f = new Fields();
            f.start = r.position();
            while (r.next()) {
                switch (r.field()) {
                    case DIMS -> f.readDims(r);
                    case DATA_TYPE -> {
                        r.expect(ProtoReader.VARINT, "data_type");
                        f.dataType = r.nonNegativeInt("data_type");
                    }
                    case NAME -> f.name = r.string();
                    case RAW_DATA -> f.raw = r.bytes();
                    case FLOAT_DATA -> readFloats(r, f.typed);
                    case INT32_DATA -> readInts(r, f.ints);
                    case SEGMENT -> throw r.unsupported("segmented tensors are not supported");
                    case EXTERNAL_DATA -> readEntry(r.embedded("external_data"), f.externalData);
                    case DATA_LOCATION -> {
                        r.expect(ProtoReader.VARINT, "data_location");
                        f.dataLocation = r.nonNegativeInt("data_location");
                    }
                    default -> r.skip();
                }
            }
            return f;
        }

        private void readDims(ProtoReader r) {
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
    }

    /** float_data: packed (one length-delimited run of fixed32) or unpacked (one fixed32 per field). */
    private static void readFloats(ProtoReader r, ByteArrayOutputStream out) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ByteBuffer packed = r.bytes();
            if (packed.remaining() % 4 != 0) {
                throw r.corrupt(r.position(), "packed float_data has " + packed.remaining()
                        + " bytes, not a multiple of 4");
            }
            byte[] copy = new byte[packed.remaining()];
            packed.get(copy);
            out.writeBytes(copy);
            return;
        }
        r.expect(ProtoReader.FIXED32, "float_data");
        writeLittleEndian(out, r.fixed32(), 4);
    }

    /** int32_data: packed or one varint per field. */
    private static void readInts(ProtoReader r, List<Integer> out) {
        if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = r.embedded("int32_data");
            while (packed.hasRemaining()) {
                out.add((int) packed.varint());
            }
            return;
        }
        r.expect(ProtoReader.VARINT, "int32_data");
        out.add((int) r.varint());
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

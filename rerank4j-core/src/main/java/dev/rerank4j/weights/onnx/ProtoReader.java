package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads one protobuf message in wire format from a window of a (memory-mapped) buffer.
 *
 * <p>Positions are absolute offsets in the file, so every error can say where the damage is. Length-delimited
 * fields come back as slices of the same buffer: a weight's raw_data is never copied.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final Path file;
    private final ByteBuffer buffer;
    private final String message;
    private final int end;
    private int position;
    private int field;
    private int wireType;
    private int fieldStart;

    private ProtoReader(Path file, ByteBuffer buffer, String message, int start, int end) {
        this.file = file;
        this.buffer = buffer;
        this.message = message;
        this.position = start;
        this.end = end;
    }

    /** A reader over the whole buffer, which holds the top-level message named {@code message}. */
    static ProtoReader of(Path file, ByteBuffer buffer, String message) {
        return new ProtoReader(file, buffer, message, 0, buffer.limit());
    }

    /** Advances to the next field; false at the end of this message. */
    boolean next() {
        if (position >= end) {
            return false;
        }
        fieldStart = position;
        long tag = varint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (tag >>> 3 > 0x1fffffff || field == 0) {
            throw corrupt(fieldStart, "invalid field number " + (tag >>> 3));
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw corrupt(fieldStart, "field " + field + " has unsupported wire type " + wireType);
        }
        return true;
    }

    /** True while unread bytes remain; for packed repeated fields, which are a bare run of values. */
    boolean hasRemaining() {
        return position < end;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    /** Offset of the next unread byte, for error messages. */
    int position() {
        return position;
    }

    long varint() {
        int start = position;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw corrupt(start, "varint runs past the end of the message (ends at byte " + end + ")");
            }
            byte b = buffer.get(position++);
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw corrupt(start, "varint longer than 10 bytes");
    }

    /** A varint field that must fit a non-negative int (sizes, enum values, dimensions). */
    int nonNegativeInt(String what) {
        int at = position;
        long value = varint();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw corrupt(at, what + " " + value + " is out of range");
        }
        return (int) value;
    }

    int fixed32() {
        return littleEndian(4).getInt(0);
    }

    /** The payload of a length-delimited field, as a little-endian slice of the file (no copy). */
    ByteBuffer bytes() {
        expect(LENGTH_DELIMITED, "bytes");
        return lengthDelimited();
    }

    String string() {
        expect(LENGTH_DELIMITED, "string");
        ByteBuffer bytes = lengthDelimited();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt(fieldStart, "field " + field + " is not valid UTF-8");
        }
    }

    /** A reader over the embedded message in the current length-delimited field. */
    ProtoReader embedded(String name) {
        expect(LENGTH_DELIMITED, name);
        ByteBuffer payload = lengthDelimited();
        int start = position - payload.remaining();
        return new ProtoReader(file, buffer, message + "." + name, start, position);
    }

    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> littleEndian(8);
            case FIXED32 -> littleEndian(4);
            default -> lengthDelimited();
        }
    }

    /** Fails unless the current field has this wire type (a schema mismatch is a corrupt file for us). */
    void expect(int expectedWireType, String fieldName) {
        if (wireType != expectedWireType) {
            throw corrupt(fieldStart, "field " + field + " (" + fieldName + ") has wire type " + wireType
                    + ", expected " + expectedWireType);
        }
    }

    /** A well-formed file using an ONNX feature rerank4j does not implement. */
    ModelFormatException unsupported(String problem) {
        return new ModelFormatException(file, problem + " (" + message + ", field " + field + " at byte "
                + fieldStart + ")");
    }

    ModelFormatException corrupt(int at, String problem) {
        return new ModelFormatException(file, "corrupt ONNX protobuf at byte " + at + " in " + message + ": "
                + problem);
    }

    private ByteBuffer lengthDelimited() {
        int at = position;
        long length = varint();
        if (length < 0 || length > end - position) {
            throw corrupt(at, "field " + field + " declares " + length + " bytes but only " + (end - position)
                    + " remain in the message");
        }
        return littleEndian((int) length);
    }

    private ByteBuffer littleEndian(int length) {
        if (length > end - position) {
            throw corrupt(position, "field " + field + " needs " + length + " bytes but only " + (end - position)
                    + " remain in the message");
        }
        ByteBuffer slice = buffer.slice(position, length).order(ByteOrder.LITTLE_ENDIAN);
        position += length;
        return slice;
    }
}

package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Writes the random-weight checkpoints of the benchmarks, one tensor at a time (they do not fit one array). */
final class SafetensorsFiles {

    /** A tensor's little-endian bytes, made when it is written. */
    @FunctionalInterface
    interface Values {
        ByteBuffer of(String name, int count);
    }

    private SafetensorsFiles() {
    }

    /** Safetensors: 8-byte header length, JSON header with dtype, shape and byte offsets, then the data. */
    static void write(Path file, Map<String, int[]> shapes, String dtype, int bytesPerValue, Values values)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, int[]> t : shapes.entrySet()) {
            long bytes = (long) bytesPerValue * count(t.getValue());
            ObjectNode info = header.putObject(t.getKey());
            info.put("dtype", dtype);
            var shape = info.putArray("shape");
            for (int d : t.getValue()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] head = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(padded).put(head);
            while (prefix.hasRemaining()) {
                prefix.put((byte) ' ');
            }
            ch.write(prefix.flip());
            for (Map.Entry<String, int[]> t : shapes.entrySet()) {
                ByteBuffer b = values.of(t.getKey(), count(t.getValue()));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}

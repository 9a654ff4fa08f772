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
import java.util.Random;

/**
 * Writes the random-weight safetensors files of the benchmarks' generated models: 8-byte header length, JSON
 * header with dtype, shape and byte offsets, then the data. LayerNorm scales are 1 and biases 0 as at
 * initialisation; other weights N(0, 0.02²) as BERT and DeBERTa initialise them. Speed does not depend on the
 * values.
 */
final class RandomSafetensors {
    /** Elements converted per write, so that a 128k-row embedding table needs no 200 MB buffer. */
    private static final int CHUNK = 1 << 20;

    private RandomSafetensors() {
    }

    /** @param f16 F16 (2 bytes per weight) when true, else F32 */
    static void write(Path file, Map<String, int[]> shapes, boolean f16, Random random) throws IOException {
        int width = f16 ? 2 : 4;
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, int[]> t : shapes.entrySet()) {
            long bytes = (long) width * count(t.getValue());
            ObjectNode info = header.putObject(t.getKey());
            info.put("dtype", f16 ? "F16" : "F32");
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
            ByteBuffer b = ByteBuffer.allocate(width * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, int[]> t : shapes.entrySet()) {
                String name = t.getKey();
                boolean norm = name.contains("LayerNorm") || name.contains("layernorm");
                int n = count(t.getValue());
                for (int i = 0; i < n; i++) {
                    float v = norm ? (name.endsWith("weight") ? 1f : 0f) : (float) (random.nextGaussian() * 0.02);
                    if (f16) {
                        b.putShort(Float.floatToFloat16(v));
                    } else {
                        b.putFloat(v);
                    }
                    if (!b.hasRemaining() || i == n - 1) {
                        b.flip();
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                        b.clear();
                    }
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

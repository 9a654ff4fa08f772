package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;

/** Random-weight checkpoints for benchmarks: speed does not depend on the values. */
final class RandomCheckpoint {
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json"};

    private RandomCheckpoint() {
    }

    /** A model directory: config.json, random F16 weights of these shapes, and borrowed tokenizer files. */
    static Path writeModel(Path dir, ObjectNode config, Map<String, int[]> shapes, Path tokenizerFrom, long seed) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            write(dir.resolve("model.safetensors"), shapes, new Random(seed));
            copyTokenizer(tokenizerFrom, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a random model into " + dir, e);
        }
    }

    /** Copies the tokenizer files a random model borrows from another model directory. */
    private static void copyTokenizer(Path from, Path to) throws IOException {
        for (String f : TOKENIZER_FILES) {
            Path src = from.resolve(f);
            if (Files.exists(src)) {
                Files.copy(src, to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            } else if (f.equals("tokenizer.json")) {
                throw new IllegalArgumentException(src + ": no such file (the random model borrows its tokenizer)");
            }
        }
    }

    /** Safetensors: 8-byte header length, JSON header with F16 dtype, shape and byte offsets, then the data. */
    private static void write(Path file, Map<String, int[]> shapes, Random random) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, int[]> t : shapes.entrySet()) {
            long bytes = 2L * count(t.getValue());
            ObjectNode info = header.putObject(t.getKey());
            info.put("dtype", "F16");
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
                ch.write(values(t.getKey(), count(t.getValue()), random));
            }
        }
    }

    /** LayerNorm scales 1 and biases 0 as at initialisation; other weights N(0, 0.02²) as BERT initialises them. */
    private static ByteBuffer values(String name, int n, Random random) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        boolean norm = name.contains("LayerNorm") || name.contains("layernorm");
        for (int i = 0; i < n; i++) {
            float v;
            if (norm) {
                v = name.endsWith("weight") ? 1f : 0f;
            } else {
                v = (float) (random.nextGaussian() * 0.02);
            }
            b.putShort(Float.floatToFloat16(v));
        }
        return b.flip();
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}

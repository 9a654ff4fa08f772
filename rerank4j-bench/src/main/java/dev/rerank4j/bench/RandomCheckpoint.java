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
import java.util.function.Predicate;

/**
 * Random-weight model directories for speed measurements: speed does not depend on the values, and the real
 * weights cannot be downloaded here. Norm scales are 1 and norm biases 0 as at initialisation; every other
 * weight is N(0, 0.02²) as BERT-style models initialise them.
 */
final class RandomCheckpoint {
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json"};

    private RandomCheckpoint() {
    }

    /**
     * Writes config.json, model.safetensors (tensor name to shape, in order; F16, BF16 or F32) and the tokenizer
     * files copied from tokenizerFrom into dir (created if needed).
     */
    static Path write(Path dir, ObjectNode config, Map<String, int[]> shapes, String dtype, Predicate<String> isNorm,
            Path tokenizerFrom, long seed) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            writeWeights(dir.resolve("model.safetensors"), shapes, dtype, isNorm, new Random(seed));
            for (String f : TOKENIZER_FILES) {
                Path src = tokenizerFrom.resolve(f);
                if (Files.exists(src)) {
                    Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                } else if (f.equals("tokenizer.json")) {
                    throw new IllegalArgumentException(src + ": no such file (the random model borrows its tokenizer)");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a random model into " + dir, e);
        }
    }

    /**
     * Adds the tensors of a BERT-layout encoder with an MLP feed-forward under prefix ({@code bert.}, {@code roberta.}):
     * word, position and token-type embeddings and their LayerNorm, then per layer Q, K, V, the attention output,
     * intermediate and output dense layers and the two LayerNorms, in the released checkpoints' naming.
     */
    static void bertEncoder(Map<String, int[]> t, String prefix, int vocab, int positions, int types, int hidden,
            int layers, int intermediate) {
        String e = prefix + "embeddings.";
        t.put(e + "word_embeddings.weight", new int[] {vocab, hidden});
        t.put(e + "position_embeddings.weight", new int[] {positions, hidden});
        t.put(e + "token_type_embeddings.weight", new int[] {types, hidden});
        t.put(e + "LayerNorm.weight", new int[] {hidden});
        t.put(e + "LayerNorm.bias", new int[] {hidden});
        for (int i = 0; i < layers; i++) {
            String l = prefix + "encoder.layer." + i + ".";
            attention(t, l, hidden, "query", "key", "value");
            mlp(t, l, hidden, intermediate);
        }
    }

    /**
     * Adds one BERT-style layer's self-attention under layer prefix l: the three projections (named as the
     * checkpoint names them), the output dense layer and its LayerNorm.
     */
    static void attention(Map<String, int[]> t, String l, int hidden, String... projections) {
        for (String p : projections) {
            t.put(l + "attention.self." + p + ".weight", new int[] {hidden, hidden});
            t.put(l + "attention.self." + p + ".bias", new int[] {hidden});
        }
        t.put(l + "attention.output.dense.weight", new int[] {hidden, hidden});
        t.put(l + "attention.output.dense.bias", new int[] {hidden});
        t.put(l + "attention.output.LayerNorm.weight", new int[] {hidden});
        t.put(l + "attention.output.LayerNorm.bias", new int[] {hidden});
    }

    /** Adds one BERT-style layer's MLP under layer prefix l: intermediate and output dense layers, LayerNorm. */
    static void mlp(Map<String, int[]> t, String l, int hidden, int intermediate) {
            t.put(l + "intermediate.dense.weight", new int[] {intermediate, hidden});
            t.put(l + "intermediate.dense.bias", new int[] {intermediate});
            t.put(l + "output.dense.weight", new int[] {hidden, intermediate});
            t.put(l + "output.dense.bias", new int[] {hidden});
            t.put(l + "output.LayerNorm.weight", new int[] {hidden});
            t.put(l + "output.LayerNorm.bias", new int[] {hidden});
    }

    /** The config.json keys every encoder shape sets, GELU activation included. */
    static ObjectNode encoderConfig(String architecture, String modelType, int vocab, int hidden, int heads,
            int layers, int intermediate, int maxPositions) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add(architecture);
        c.put("model_type", modelType);
        c.put("hidden_act", "gelu");
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("intermediate_size", intermediate);
        c.put("max_position_embeddings", maxPositions);
        return c;
    }

    /**
     * Safetensors: 8-byte header length, JSON header with dtype, shape and byte offsets, then the data, one tensor
     * at a time (a whole checkpoint does not fit one array).
     */
    private static void writeWeights(Path file, Map<String, int[]> shapes, String dtype, Predicate<String> isNorm,
            Random random) throws IOException {
        int width = switch (dtype) {
            case "F16", "BF16" -> 2;
            case "F32" -> 4;
            default -> throw new IllegalArgumentException("dtype " + dtype + "; supported: F16, BF16, F32");
        };
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, int[]> t : shapes.entrySet()) {
            long bytes = (long) width * count(t.getValue());
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
                ByteBuffer b = values(t.getKey(), count(t.getValue()), dtype, isNorm.test(t.getKey()), random);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    private static ByteBuffer values(String name, int n, String dtype, boolean norm, Random random) {
        ByteBuffer b = ByteBuffer.allocate((dtype.equals("F32") ? 4 : 2) * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            float v = norm ? (name.endsWith("weight") ? 1f : 0f) : (float) (random.nextGaussian() * 0.02);
            switch (dtype) {
                case "F16" -> b.putShort(Float.floatToFloat16(v));
                case "BF16" -> b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                default -> b.putFloat(v);
            }
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

package dev.rerank4j.eval;

import dev.rerank4j.api.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Normalised embeddings by text, so a text is embedded once: within one evaluation (BM25 candidate lists of
 * different queries overlap), and, with a file, across evaluations (the dense first stage and a bi-encoder
 * reranker of the same model embed the same corpus). The file is append-only, written as vectors are computed,
 * so an interrupted run resumes where it stopped; a torn last record is ignored.
 */
public final class EmbeddingCache implements AutoCloseable {
    private static final int DIGEST_BYTES = 32;

    private final Embedder embedder;
    private final int maxLength;
    private final Map<String, float[]> vectors = new HashMap<>();
    private final DataOutputStream file;

    private EmbeddingCache(Embedder embedder, int maxLength, DataOutputStream file) {
        this.embedder = embedder;
        this.maxLength = maxLength;
        this.file = file;
    }

    /** A cache in memory only. */
    public static EmbeddingCache inMemory(Embedder embedder, int maxLength) {
        return new EmbeddingCache(embedder, maxLength, null);
    }

    /**
     * A cache kept in {@code dir}, one file per model directory and max length: vectors from another model or
     * length never mix.
     */
    public static EmbeddingCache inDirectory(Path dir, Path modelDir, Embedder embedder, int maxLength) {
        String key = digest(modelDir.toAbsolutePath().normalize().toString()).substring(0, 16);
        Path path = dir.resolve(modelDir.toAbsolutePath().normalize().getFileName() + "-" + key + "-len"
                + maxLength + ".vec");
        try {
            Files.createDirectories(dir);
            Map<String, float[]> existing = Files.exists(path) ? load(path, embedder.dimension()) : Map.of();
            dropTornRecord(path, embedder.dimension());
            EmbeddingCache cache = new EmbeddingCache(embedder, maxLength, new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND))));
            cache.vectors.putAll(existing);
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    /** New records must start on a record boundary, so a partial last record is cut off before appending. */
    private static void dropTornRecord(Path path, int dim) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        long record = DIGEST_BYTES + 4L * dim;
        long size = Files.size(path);
        if (size % record != 0) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(size - size % record);
            }
        }
    }

    private static Map<String, float[]> load(Path path, int dim) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        try (InputStream in = Files.newInputStream(path);
                DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            while (true) {
                byte[] key = new byte[DIGEST_BYTES];
                float[] v = new float[dim];
                try {
                    data.readFully(key);
                    for (int i = 0; i < dim; i++) {
                        v[i] = data.readFloat();
                    }
                } catch (EOFException e) {
                    return out;
                }
                out.put(HexFormat.of().formatHex(key), v);
            }
        }
    }

    public String modelId() {
        return embedder.modelId();
    }

    /** Vectors of the texts, in order, embedding only those not seen before. */
    public float[][] embed(List<String> texts) {
        Set<String> missing = new LinkedHashSet<>();
        for (String t : texts) {
            if (!vectors.containsKey(digest(t))) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            List<String> todo = new ArrayList<>(missing);
            float[][] computed = embedder.embed(todo, true, maxLength);
            for (int i = 0; i < todo.size(); i++) {
                String key = digest(todo.get(i));
                vectors.put(key, computed[i]);
                append(key, computed[i]);
            }
            flush();
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vectors.get(digest(texts.get(i)));
        }
        return out;
    }

    private void append(String key, float[] v) {
        if (file == null) {
            return;
        }
        try {
            file.write(HexFormat.of().parseHex(key));
            for (float f : v) {
                file.writeFloat(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache: " + e.getMessage(), e);
        }
    }

    private void flush() {
        if (file == null) {
            return;
        }
        try {
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache: " + e.getMessage(), e);
        }
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** Closes the file and the embedder. */
    @Override
    public void close() {
        try {
            if (file != null) {
                file.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache: " + e.getMessage(), e);
        } finally {
            embedder.close();
        }
    }
}

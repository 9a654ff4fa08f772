package dev.rerank4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tensors of a {@code .safetensors} file, memory-mapped: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}}}, then the raw bytes. Also reads sharded checkpoints
 * through {@code model.safetensors.index.json}.
 */
public final class SafetensorsSource implements TensorSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;
    private static final int READ_CHUNK = 1 << 20;

    private final Path origin;
    private final Map<String, Tensor> tensors;
    private final ByteBuffer buffer;

    private SafetensorsSource(Path origin, Map<String, Tensor> tensors, ByteBuffer buffer) {
        this.origin = origin;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.buffer = buffer;
    }

    /** Reads {@code model.safetensors}, or the shards listed by {@code model.safetensors.index.json}, in a model directory. */
    public static SafetensorsSource open(Path modelDir) {
        return open(modelDir, null, null);
    }

    /**
     * Reads only the tensors whose names {@code wanted} accepts, into one heap buffer instead of mapping them: a
     * loader that converts a model a part at a time then never has mapped pages of the whole file resident
     * beside its own copy (mappings are only released when the garbage collector finds them). Null: map all.
     * The buffer is {@code reuse} when it is large enough (a loader passes the previous part's {@link #buffer()}
     * once that part is converted, so converting part after part makes no garbage), else a new one.
     */
    public static SafetensorsSource open(Path modelDir, Predicate<String> wanted, ByteBuffer reuse) {
        Path single = modelDir.resolve("model.safetensors");
        if (Files.exists(single)) {
            return read(single, List.of(single), wanted, reuse);
        }
        Path index = modelDir.resolve("model.safetensors.index.json");
        if (Files.exists(index)) {
            return read(index, shards(index), wanted, reuse);
        }
        throw new ModelFormatException(single, "no such file (nor model.safetensors.index.json beside it)");
    }

    public static SafetensorsSource openFile(Path file) {
        return read(file, List.of(file), null, null);
    }

    /** The heap buffer the tensors were read into (empty when they are mapped): reusable once they are converted. */
    public ByteBuffer buffer() {
        return buffer;
    }

    private static List<Path> shards(Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new ModelFormatException(index, "cannot read the shard index: " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelFormatException(index, "no 'weight_map' object listing the shards");
        }
        Set<Path> shards = new java.util.LinkedHashSet<>();
        weightMap.forEach(v -> shards.add(index.resolveSibling(v.asText())));
        return List.copyOf(shards);
    }

    /** A tensor as a file's header describes it: where its bytes are. */
    private record Entry(Path file, String name, DType dtype, int[] shape, long position, int bytes) {
    }

    private static SafetensorsSource read(Path origin, List<Path> files, Predicate<String> wanted, ByteBuffer reuse) {
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            describeFile(file, entries, wanted);
        }
        long total = 0;
        for (Entry e : entries) {
            total += e.bytes();
        }
        if (wanted != null && total > Integer.MAX_VALUE) {
            throw new ModelFormatException(origin, "the tensors read at once exceed 2 GiB");
        }
        ByteBuffer buffer = wanted == null ? ByteBuffer.allocate(0)
                : reuse != null && reuse.capacity() >= total ? reuse.clear() : ByteBuffer.allocate((int) total);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int at = 0;
        for (Path file : files) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (Entry e : entries) {
                    if (!e.file().equals(file)) {
                        continue;
                    }
                    ByteBuffer data;
                    if (wanted == null) {
                        data = ch.map(FileChannel.MapMode.READ_ONLY, e.position(), e.bytes());
                    } else {
                        data = buffer.slice(at, e.bytes());
                        at += e.bytes();
                        // A read into a heap buffer goes through a temporary direct buffer as large as the read,
                        // which the JDK then keeps cached per thread: in whole tensors, 300 MB of native memory.
                        while (data.position() < e.bytes()) {
                            data.limit(Math.min(e.bytes(), data.position() + READ_CHUNK));
                            if (ch.read(data, e.position() + data.position()) < 0) {
                                throw new ModelFormatException(file, "truncated while reading tensor '" + e.name() + "'");
                            }
                        }
                        data.flip();
                    }
                    tensors.put(e.name(), Tensor.of(e.name(), e.dtype(), e.shape(), data));
                }
            } catch (IOException ex) {
                throw new ModelFormatException(file, "cannot read: " + ex.getMessage(), ex);
            }
        }
        return new SafetensorsSource(origin, tensors, buffer);
    }

    private static void describeFile(Path file, List<Entry> into, Predicate<String> wanted) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file, "truncated: " + size + " bytes, too short for a safetensors header");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new ModelFormatException(file, "corrupt header: declared header length " + headerLen
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLen);
            ch.read(headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ModelFormatException(file, "corrupt header: not valid JSON (" + e.getMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw new ModelFormatException(file, "corrupt header: expected a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                Entry t = describe(file, e.getKey(), e.getValue(), dataStart, dataSize);
                if (t != null && (wanted == null || wanted.test(t.name()))) {
                    into.add(t);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "no such file");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static Entry describe(Path file, String name, JsonNode info, long dataStart, long dataSize) {
        String dtypeName = info.path("dtype").asText("");
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelFormatException(file, "corrupt header: tensor '" + name + "' lacks shape or data_offsets");
        }
        Optional<DType> dtype = DType.parse(dtypeName);
        if (dtype.isEmpty()) {
            throw new ModelFormatException(file, "tensor '" + name + "' has unsupported dtype '" + dtypeName
                    + "'; supported: F32, F16, BF16 (integer tensors are ignored)");
        }
        int[] shape = new int[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
            elements *= shape[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new ModelFormatException(file, "truncated or corrupt: tensor '" + name + "' spans bytes " + begin
                    + ".." + end + " but the data section holds " + dataSize);
        }
        if (end - begin != elements * dtype.get().bytes()) {
            throw new ModelFormatException(file, "corrupt header: tensor '" + name + "' declares " + elements + " "
                    + dtypeName + " elements but spans " + (end - begin) + " bytes");
        }
        if (!dtype.get().isFloatingPoint()) {
            return null; // position_ids and similar buffers: not weights
        }
        if (end - begin > Integer.MAX_VALUE) {
            throw new ModelFormatException(file, "tensor '" + name + "' is larger than 2 GiB");
        }
        return new Entry(file, name, dtype.get(), shape, dataStart + begin, (int) (end - begin));
    }

    @Override
    public Path origin() {
        return origin;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    @Override
    public void close() {
        // Mappings are released by the garbage collector once the views are unreachable.
    }
}

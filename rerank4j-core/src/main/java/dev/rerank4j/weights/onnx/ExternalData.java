package dev.rerank4j.weights.onnx;

import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Tensors stored outside the .onnx file (data_location = EXTERNAL), which is how exporters get past protobuf's
 * 2 GB limit. Each tensor's byte range is mapped read-only on its own, so the data file may exceed 2 GB.
 */
record ExternalData(Path modelFile) {

    ByteBuffer map(String label, Map<String, String> entries, long expectedBytes) {
        String location = entries.get("location");
        if (location == null || location.isEmpty()) {
            throw new ModelFormatException(modelFile, label + " has external data without a location");
        }
        Path directory = modelFile.toAbsolutePath().getParent();
        Path file = directory.resolve(location).normalize();
        if (Path.of(location).isAbsolute() || !file.startsWith(directory.normalize())) {
            throw new ModelFormatException(modelFile, label + " has external data at '" + location
                    + "', outside the model's directory");
        }
        long offset = number(label, entries, "offset", 0);
        long length = number(label, entries, "length", expectedBytes);
        if (length != expectedBytes) {
            throw new ModelFormatException(modelFile, label + " has " + length + " bytes of external data, expected "
                    + expectedBytes);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + length > channel.size()) {
                throw new ModelFormatException(modelFile, label + " reads bytes " + offset + ".." + (offset + length)
                        + " of " + file + ", which has only " + channel.size());
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new ModelFormatException(modelFile, label + ": cannot read external data file " + file + ": " + e, e);
        }
    }

    private long number(String label, Map<String, String> entries, String key, long fallback) {
        String value = entries.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(modelFile, label + " has external data " + key + " '" + value
                    + "', not a byte count");
        }
    }
}

package dev.rerank4j.eval;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyLoader;

/**
 * Run in a fresh JVM by {@link PureJavaSnappyTest}: {@code write FILE} writes a Snappy Parquet shard with parquet-java
 * (snappy-java's JNI library compresses it), {@code read FILE} reads it back through {@link Rows}. Each prints its
 * rows, then which native libraries the process has mapped.
 */
public final class SnappyParquetMain {
    private SnappyParquetMain() {
    }

    /**
     * Documents longer than 32 KiB (commons-compress's default window) whose phrases repeat tens of KiB apart, so the
     * compressor emits long back-references.
     */
    static List<Map<String, Object>> rows() {
        Random random = new Random(7);
        String[] words = {"owl", "night", "train", "winter", "cave", "insect", "mail", "country", "sleep", "hunt"};
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            StringBuilder phrase = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                phrase.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
            }
            StringBuilder text = new StringBuilder();
            while (text.length() < 90_000) {
                text.append(phrase).append(' ');
                for (int i = 0; i < 5_000; i++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("_id", "d" + d);
            row.put("text", text.toString());
            rows.add(row);
        }
        return rows;
    }

    static String line(String id, String text) {
        return id + "\t" + text.length() + "\t" + text.hashCode();
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            Files.write(file, TestParquet.write(file.getParent(), List.of("_id", "text"), null, rows(),
                    CompressionCodecName.SNAPPY, 1 << 20));
            rows().forEach(r -> System.out.println(line((String) r.get("_id"), (String) r.get("text"))));
        } else {
            Rows.forEach(file, List.of("_id", "text"), row -> System.out.println(line(row.required("_id"),
                    row.required("text"))));
        }
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8);
        Field loaded = SnappyLoader.class.getDeclaredField("isLoaded");
        loaded.setAccessible(true);
        Field impl = Snappy.class.getDeclaredField("impl");
        impl.setAccessible(true);
        System.out.println("snappy-java native library mapped: " + maps.stream().anyMatch(l -> l.contains("snappyjava"))
                + ", loaded: " + loaded.get(null) + ", implementation: " + impl.get(null).getClass().getSimpleName()
                + ", libdeflate mapped: " + maps.stream().anyMatch(l -> l.contains("libdeflate")));
    }
}

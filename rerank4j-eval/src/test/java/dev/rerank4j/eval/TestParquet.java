package dev.rerank4j.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet files as the Hub's datasets hold them, with parquet-java (the reference implementation, a
 * different library from the reader under test): optional UTF-8 string columns and lists of strings.
 */
final class TestParquet {
    private TestParquet() {
    }

    /**
     * The bytes of a Parquet file of {@code rows}, each a map from column to a String or, for {@code listColumn},
     * a {@code List<String>}; several row groups when {@code rowGroupBytes} is small.
     */
    static byte[] write(Path tmp, List<String> columns, String listColumn, List<Map<String, Object>> rows,
            CompressionCodecName codec, long rowGroupBytes) throws IOException {
        return writeLists(tmp, columns, listColumn == null ? List.of() : List.of(listColumn), rows, codec,
                rowGroupBytes);
    }

    /** A Snappy file of string columns, one row per list of values (in column order), in one row group. */
    static byte[] strings(Path tmp, List<String> columns, List<List<String>> values) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<String> v : values) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), v.get(i));
            }
            rows.add(row);
        }
        return write(tmp, columns, null, rows, CompressionCodecName.SNAPPY, 1 << 20);
    }

    /** As {@link #write}, with any number of list-of-string columns after the string ones. */
    static byte[] writeLists(Path tmp, List<String> columns, List<String> listColumns, List<Map<String, Object>> rows,
            CompressionCodecName codec, long rowGroupBytes) throws IOException {
        StringBuilder schema = new StringBuilder("message hf {");
        columns.forEach(c -> schema.append(" optional binary ").append(c).append(" (STRING);"));
        listColumns.forEach(l -> schema.append(" optional group ").append(l)
                .append(" (LIST) { repeated group list { optional binary element (STRING); } }"));
        MessageType type = MessageTypeParser.parseMessageType(schema.append(" }").toString());
        Path file = Files.createTempFile(tmp, "shard", ".parquet");
        Files.delete(file);
        try (var writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(type).withCompressionCodec(codec)
                .withRowGroupSize(rowGroupBytes).build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(type);
            for (Map<String, Object> row : rows) {
                Group g = groups.newGroup();
                for (String c : columns) {
                    if (row.get(c) != null) {
                        g.append(c, (String) row.get(c));
                    }
                }
                for (String l : listColumns) {
                    if (row.get(l) instanceof List<?> values) {
                        Group list = g.addGroup(l);
                        values.forEach(v -> list.addGroup("list").append("element", (String) v));
                    }
                }
                writer.write(g);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }
}

package dev.rerank4j.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.RowReader;
import dev.hardwood.row.PqList;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.SchemaNode;
import dev.rerank4j.RerankException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Table files as a stream of rows, whatever the format a dataset repo uses: Parquet (read by Hardwood, one row
 * group at a time, only the columns asked for) or JSON Lines, plain or gzipped. A row names where it came from, so
 * a bad value is reported with its file and row.
 */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {
    }

    /** One row: its fields as text (numbers, as BEIR ids sometimes are, in their decimal form). */
    interface Row {
        /** The field's value, or null when the row has no such field or it is null. */
        String text(String field);

        /** A list field's elements; empty when absent or null. */
        List<String> strings(String field);

        /** File and row number, for messages. */
        String where();

        default String required(String field) {
            String v = text(field);
            if (v == null) {
                throw new RerankException(where() + ": missing field '" + field + "'");
            }
            return v;
        }
    }

    static boolean isParquet(Path file) {
        return file.getFileName().toString().endsWith(".parquet");
    }

    /** Calls the action for every row of {@code file}, reading only {@code columns} where the format allows. */
    static void forEach(Path file, List<String> columns, Consumer<Row> action) {
        if (isParquet(file)) {
            parquet(file, columns, action);
        } else {
            jsonLines(file, action);
        }
    }

    /** Rows in {@code file}: from the footer for Parquet, by reading the lines otherwise. */
    static long count(Path file) {
        if (isParquet(file)) {
            PureJavaSnappy.install();
            try (ParquetFileReader reader = ParquetFileReader.open(InputFile.of(file))) {
                return reader.getFileMetaData().numRows();
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": not a readable Parquet file: " + e.getMessage(), e);
            }
        }
        long[] n = {0};
        eachLine(file, (line, number) -> n[0]++);
        return n[0];
    }

    private static void parquet(Path file, List<String> columns, Consumer<Row> action) {
        PureJavaSnappy.install();
        try (ParquetFileReader reader = ParquetFileReader.open(InputFile.of(file))) {
            Set<String> present = reader.getFileSchema().getRootNode().children().stream().map(SchemaNode::name)
                    .collect(Collectors.toSet());
            List<String> read = columns.stream().filter(present::contains).toList();
            if (read.isEmpty()) {
                throw new RerankException(file + ": none of the columns " + columns + " is in the file (it has "
                        + present + ")");
            }
            try (RowReader rows = reader.buildRowReader()
                    .projection(ColumnProjection.columns(read.toArray(String[]::new))).build()) {
                long[] number = {0};
                Row row = new Row() {
                    @Override
                    public String text(String field) {
                        if (!present.contains(field) || rows.isNull(field)) {
                            return null;
                        }
                        Object v = rows.getValue(field);
                        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
                    }

                    @Override
                    public List<String> strings(String field) {
                        if (!present.contains(field) || rows.isNull(field)) {
                            return List.of();
                        }
                        PqList list = rows.getList(field);
                        List<String> out = new ArrayList<>(list.size());
                        list.values().forEach(v -> out.add(String.valueOf(v)));
                        return out;
                    }

                    @Override
                    public String where() {
                        return file + ": row " + number[0];
                    }
                };
                while (rows.hasNext()) {
                    rows.next();
                    number[0]++;
                    action.accept(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not a readable Parquet file: " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new RerankException(file + ": " + e.getMessage(), e); // e.g. a codec whose library is absent
        }
    }

    private static void jsonLines(Path file, Consumer<Row> action) {
        eachLine(file, (line, number) -> {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new RerankException(file + ":" + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!node.isObject()) {
                throw new RerankException(file + ":" + number + ": expected a JSON object");
            }
            action.accept(new Row() {
                @Override
                public String text(String field) {
                    JsonNode v = node.get(field);
                    if (v == null || v.isNull()) {
                        return null;
                    }
                    if (!v.isValueNode()) {
                        throw new RerankException(where() + ": field '" + field + "' must be a string");
                    }
                    return v.asText();
                }

                @Override
                public List<String> strings(String field) {
                    List<String> out = new ArrayList<>();
                    node.path(field).forEach(v -> out.add(v.asText()));
                    return out;
                }

                @Override
                public String where() {
                    return file + ":" + number;
                }
            });
        });
    }

    @FunctionalInterface
    interface LineAction {
        void accept(String line, long number);
    }

    /** Non-blank lines of a text file, gunzipped when its name ends in {@code .gz}. */
    static void eachLine(Path file, LineAction action) {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                        : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    action.accept(line, number);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}

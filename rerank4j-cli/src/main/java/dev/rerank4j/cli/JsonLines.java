package dev.rerank4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.RerankException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines in and out, in chunks: input order is kept, and every field of an input line is passed through
 * with the command's fields added.
 */
final class JsonLines implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One input line with its 1-based line number, for error messages. */
    record Line(int number, ObjectNode node) {
        String requireText(String source, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw new RerankException(source + ":" + number + ": missing field '" + field + "'");
            }
            if (!v.isTextual()) {
                throw new RerankException(source + ":" + number + ": field '" + field + "' must be a string, got "
                        + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
            }
            return v.asText();
        }

        /** The field's text, or {@code otherwise} when it is absent or null. */
        String optionalText(String source, String field, String otherwise) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? otherwise : requireText(source, field);
        }
    }

    private final BufferedReader in;
    private final Writer out;
    private final boolean ownsOut;
    private final String source;
    private int lineNumber;

    JsonLines(String input, Path output) throws IOException {
        this.source = input.equals("-") ? "<stdin>" : input;
        try {
            this.in = input.equals("-") ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RerankException(input + ": no such file");
        }
        this.ownsOut = output != null;
        this.out = output == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
    }

    String source() {
        return source;
    }

    /** Up to n non-blank lines; empty at the end of the input. */
    List<Line> next(int n) throws IOException {
        List<Line> lines = new ArrayList<>(n);
        String s;
        while (lines.size() < n && (s = in.readLine()) != null) {
            lineNumber++;
            if (s.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new RerankException(source + ":" + lineNumber + ": not valid JSON ("
                        + e.getOriginalMessage() + ")");
            }
            if (!(node instanceof ObjectNode obj)) {
                throw new RerankException(source + ":" + lineNumber + ": expected a JSON object");
            }
            lines.add(new Line(lineNumber, obj));
        }
        return lines;
    }

    void write(JsonNode node) throws IOException {
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
        in.close();
        if (ownsOut) {
            out.close();
        }
    }
}

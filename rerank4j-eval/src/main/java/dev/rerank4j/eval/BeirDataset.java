package dev.rerank4j.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.RerankException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A dataset in BEIR's layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv}
 * ({@code query-id, corpus-id, score}, with an optional header line). The corpus is streamed, never held whole.
 * Malformed lines fail with the file, the line number and the problem.
 */
public record BeirDataset(Path dir) implements Dataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public String corpusName() {
        return corpusFile().toString();
    }

    @Override
    public String queriesName() {
        return queriesFile().toString();
    }

    @Override
    public String qrelsName(String split) {
        return qrelsFile(split).toString();
    }

    public Path corpusFile() {
        return dir.resolve("corpus.jsonl");
    }

    public Path queriesFile() {
        return dir.resolve("queries.jsonl");
    }

    public Path qrelsFile(String split) {
        return dir.resolve("qrels").resolve(split + ".tsv");
    }

    @Override
    public void forEachDocument(Consumer<Document> action) {
        readLines(corpusFile(), (line, number) -> {
            JsonNode node = parseObject(corpusFile(), number, line);
            String title = optionalText(corpusFile(), number, node, "title");
            action.accept(new Document(id(corpusFile(), number, node), title,
                    requiredText(corpusFile(), number, node, "text")));
        });
    }

    /** Number of non-blank lines of the corpus. */
    @Override
    public long countDocuments() {
        long[] n = {0};
        readLines(corpusFile(), (line, number) -> n[0]++);
        return n[0];
    }

    @Override
    public Map<String, String> queries() {
        Map<String, String> out = new LinkedHashMap<>();
        Path file = queriesFile();
        readLines(file, (line, number) -> {
            JsonNode node = parseObject(file, number, line);
            String id = id(file, number, node);
            if (out.put(id, requiredText(file, number, node, "text")) != null) {
                throw new RerankException(file + ":" + number + ": duplicate query id '" + id + "'");
            }
        });
        return out;
    }

    @Override
    public Qrels qrels(String split) {
        return readQrels(qrelsFile(split));
    }

    /** A BEIR qrels TSV: {@code query-id, corpus-id, score}, with an optional header line. */
    static Qrels readQrels(Path file) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        readLines(file, (line, number) -> {
            String[] cols = line.strip().split("\t");
            if (cols.length != 3) {
                throw new RerankException(file + ":" + number + ": expected 3 tab-separated columns "
                        + "(query-id, corpus-id, score), got " + cols.length);
            }
            int grade;
            try {
                grade = Integer.parseInt(cols[2].strip());
            } catch (NumberFormatException e) {
                if (number == 1) {
                    return; // the header line BEIR writes: query-id corpus-id score
                }
                throw new RerankException(file + ":" + number + ": score '" + cols[2] + "' is not an integer");
            }
            out.computeIfAbsent(cols[0].strip(), q -> new HashMap<>()).put(cols[1].strip(), grade);
        });
        return new Qrels(out);
    }

    @FunctionalInterface
    private interface LineAction {
        void accept(String line, int number);
    }

    private static void readLines(Path file, LineAction action) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    action.accept(line, number);
                }
            }
        } catch (NoSuchFileException e) {
            throw new RerankException(file + ": no such file (a BEIR dataset directory holds corpus.jsonl, "
                    + "queries.jsonl and qrels/<split>.tsv)");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parseObject(Path file, int number, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RerankException(file + ":" + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
            throw new RerankException(file + ":" + number + ": expected a JSON object");
        }
        return node;
    }

    /** BEIR ids are strings; some exports write them as numbers, which mean the same. */
    private static String id(Path file, int number, JsonNode node) {
        JsonNode v = node.get("_id");
        if (v == null || !(v.isTextual() || v.isIntegralNumber()) || v.asText().isEmpty()) {
            throw new RerankException(file + ":" + number + ": missing or empty '_id'");
        }
        return v.asText();
    }

    private static String requiredText(Path file, int number, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new RerankException(file + ":" + number + ": missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new RerankException(file + ":" + number + ": field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static String optionalText(Path file, int number, JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : requiredText(file, number, node, field);
    }
}

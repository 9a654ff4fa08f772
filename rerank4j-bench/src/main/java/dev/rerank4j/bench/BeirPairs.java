package dev.rerank4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * (query, document) pairs of a BEIR-format dataset (e.g. SciFact): {@code queries.jsonl}, {@code corpus.jsonl}
 * and {@code qrels/test.tsv}; each judged pair becomes one input, the document as "title text".
 */
public final class BeirPairs {
    private BeirPairs() {
    }

    public static List<TextPair> load(Path dir) {
        Map<String, String> queries = texts(dir.resolve("queries.jsonl"));
        Map<String, String> corpus = texts(dir.resolve("corpus.jsonl"));
        Path qrels = dir.resolve("qrels").resolve("test.tsv");
        List<TextPair> pairs = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(qrels);
            for (int i = 1; i < lines.size(); i++) { // line 1 is the header
                String[] f = lines.get(i).split("\t");
                if (f.length < 2) {
                    continue;
                }
                String q = queries.get(f[0]);
                String d = corpus.get(f[1]);
                if (q == null || d == null) {
                    throw new IllegalArgumentException(qrels + " line " + (i + 1) + ": unknown query or document id");
                }
                pairs.add(new TextPair(q, d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + qrels, e);
        }
        return pairs;
    }

    private static Map<String, String> texts(Path jsonl) {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(jsonl)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                String title = n.path("title").asText("");
                String text = n.path("text").asText("");
                out.put(n.path("_id").asText(), title.isEmpty() ? text : title + " " + text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl, e);
        }
        return out;
    }
}

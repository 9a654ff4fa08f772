package dev.rerank4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The qwen3-reranker-mini fixture and its reference logits (testdata/models/qwen3-reranker-mini/golden.jsonl). */
public final class Qwen3Golden {
    public static final Path DIR = Path.of("../testdata/models/qwen3-reranker-mini");
    public static final int YES = 8505;
    public static final int NO = 3919;

    public record Pair(String id, String instruction, String query, String document, int[] inputIds,
            int sharedPrefixLen, double yes, double no) {
        public double difference() {
            return yes - no;
        }
    }

    private Qwen3Golden() {
    }

    public static List<Pair> pairs() {
        ObjectMapper json = new ObjectMapper();
        List<Pair> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve("golden.jsonl"))) {
                JsonNode n = json.readTree(line);
                JsonNode ids = n.get("input_ids");
                int[] inputIds = new int[ids.size()];
                for (int i = 0; i < inputIds.length; i++) {
                    inputIds[i] = ids.get(i).asInt();
                }
                out.add(new Pair(n.get("id").asText(), n.get("instruction").asText(), n.get("query").asText(),
                        n.get("document").asText(), inputIds, n.get("shared_prefix_len").asInt(),
                        n.get("logit_yes_fp64").asDouble(), n.get("logit_no_fp64").asDouble()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

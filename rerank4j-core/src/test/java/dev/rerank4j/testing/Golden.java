package dev.rerank4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rerank4j.api.PairScore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The model fixtures and their reference logits ({@code testdata/models/<name>/golden.jsonl}). */
public final class Golden {
    public static final Path JINABERT_MINI = Path.of("../testdata/models/jinabert-mini");
    public static final Path MODERNBERT_MINI = Path.of("../testdata/models/modernbert-mini");
    public static final Path DEBERTA_V3_MINI = Path.of("../testdata/models/deberta-v3-mini");
    public static final Path XLMR_MINI = Path.of("../testdata/models/xlmr-mini");

    /** One golden pair; {@code expected} is logit_fp64 when present, else logit_fp32. */
    public record Pair(String id, String query, String document, int[] inputIds, int[] typeIds, double expected,
            boolean fp64) {
        public int length() {
            return inputIds.length;
        }

        /** The tolerance: 1e-4 up to 512 tokens, 1e-3 above. */
        public double tolerance() {
            return length() <= 512 ? 1e-4 : 1e-3;
        }
    }

    private Golden() {
    }

    /** jinabert-mini's pairs. */
    public static List<Pair> pairs() {
        return pairs(JINABERT_MINI);
    }

    /** The pairs of a fixture directory's golden.jsonl. */
    public static List<Pair> pairs(Path fixture) {
        ObjectMapper json = new ObjectMapper();
        List<Pair> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(fixture.resolve("golden.jsonl"))) {
                JsonNode n = json.readTree(line);
                boolean fp64 = n.hasNonNull("logit_fp64");
                out.add(new Pair(n.get("id").asText(), n.get("query").asText(), n.get("document").asText(),
                        ints(n.get("input_ids")), ints(n.get("token_type_ids")),
                        fp64 ? n.get("logit_fp64").asDouble() : n.get("logit_fp32").asDouble(), fp64));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Each score against its golden pair, in order: the token count, the logit and the sigmoid score within
     * {@code tolerance} of the reference.
     */
    public static void assertScores(List<PairScore> scores, List<Pair> golden, ToDoubleFunction<Pair> tolerance) {
        assertThat(scores).hasSameSizeAs(golden);
        for (int i = 0; i < golden.size(); i++) {
            Pair p = golden.get(i);
            double tol = tolerance.applyAsDouble(p);
            assertThat(scores.get(i).tokens()).as("tokens of %s", p.id()).isEqualTo(p.length());
            assertThat((double) scores.get(i).logit()).as("logit of %s (%d tokens)", p.id(), p.length())
                    .isCloseTo(p.expected(), within(tol));
            assertThat(scores.get(i).score()).as("score of %s", p.id())
                    .isCloseTo(1 / (1 + Math.exp(-p.expected())), within(tol));
        }
    }

    public static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }
}

package dev.rerank4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A BEIR-layout collection made from a seeded generator: documents of random words from a Zipf-like vocabulary,
 * each query a few words of one judged document mixed with common words, so BM25 finds some and misses others.
 */
final class SyntheticBeir {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VOCABULARY = 4000;

    private SyntheticBeir() {
    }

    /** Writes corpus.jsonl, queries.jsonl and qrels/test.tsv into dir and returns it. */
    static Path write(Path dir, int documents, int queries) throws IOException {
        Random random = new Random(20261201);
        String[][] docs = new String[documents][];
        Files.createDirectories(dir.resolve("qrels"));
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("corpus.jsonl"))) {
            for (int d = 0; d < documents; d++) {
                docs[d] = words(random, 20 + random.nextInt(120));
                out.write(JSON.writeValueAsString(Map.of("_id", "d" + d, "title", String.join(" ",
                        words(random, 3 + random.nextInt(8))), "text", String.join(" ", docs[d]))));
                out.newLine();
            }
        }
        try (BufferedWriter q = Files.newBufferedWriter(dir.resolve("queries.jsonl"));
             BufferedWriter rel = Files.newBufferedWriter(dir.resolve("qrels/test.tsv"))) {
            rel.write("query-id\tcorpus-id\tscore\n");
            for (int i = 0; i < queries; i++) {
                int target = random.nextInt(documents);
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 3 + random.nextInt(5); w++) {
                    String word = random.nextInt(3) == 0 ? word(random)
                            : docs[target][random.nextInt(docs[target].length)];
                    text.append(w == 0 ? "" : " ").append(word);
                }
                q.write(JSON.writeValueAsString(Map.of("_id", "q" + i, "text", text.toString())));
                q.newLine();
                rel.write("q" + i + "\td" + target + "\t1\n");
            }
        }
        return dir;
    }

    private static String[] words(Random random, int n) {
        String[] w = new String[n];
        for (int i = 0; i < n; i++) {
            w[i] = word(random);
        }
        return w;
    }

    /** Word k with probability about proportional to 1/k. */
    private static String word(Random random) {
        int k = (int) Math.floor(Math.pow(VOCABULARY, random.nextDouble()));
        return "w" + Integer.toString(k, 36);
    }
}

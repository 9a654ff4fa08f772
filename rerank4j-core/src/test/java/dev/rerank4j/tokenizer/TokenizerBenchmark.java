package dev.rerank4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-threaded tokenization throughput, ours against the Rust Hugging Face library (through its JNI binding,
 * reading back only the ids), on a BEIR corpus.jsonl (title + text of every document, special tokens added, no
 * truncation), after checking that both give identical ids for every document. Not a unit test. Arguments: the corpus path, optionally the number of timed rounds (default 5).
 * Prints tokens per second for each tokenizer and the ratio ours / Rust (median of the rounds).
 */
public final class TokenizerBenchmark {
    private TokenizerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TokenizerBenchmark <corpus.jsonl> [rounds]");
            System.exit(2);
        }
        List<String> docs = readCorpus(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long chars = docs.stream().mapToLong(String::length).sum();
        System.out.printf("%d documents, %d chars, %d timed rounds, 1 thread%n", docs.size(), chars, rounds);
        run("byte-level BPE (jinabert-mini)", TestTokenizers.JINABERT_JSON, docs, rounds);
        run("WordPiece (all-MiniLM-L6-v2)", TestTokenizers.miniLmJson(), docs, rounds);
        run("Unigram + Precompiled (XLM-R style fixture)",
                UnigramFixture.xlmRobertaStyle(Files.createTempDirectory("bench-unigram")), docs, rounds);
    }

    private static void run(String name, Path json, List<String> docs, int rounds) {
        Tokenizer ours = Tokenizer.fromJson(json, null);
        try (HfOracle rust = new HfOracle(json)) {
            long got = 0;
            // Warm-up: JIT for us, caches for both; also checks every document gets exactly the same ids.
            for (String d : docs) {
                long[] expected = rust.ids(d, true);
                int[] actual = ours.encode(d, true, Truncation.none()).ids();
                if (!Arrays.equals(expected, Arrays.stream(actual).asLongStream().toArray())) {
                    throw new IllegalStateException(name + ": ids differ on " + d);
                }
                got += actual.length;
            }
            double[] oursRate = new double[rounds];
            double[] rustRate = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long n = 0;
                for (String d : docs) {
                    n += ours.encode(d, true, Truncation.none()).length();
                }
                long t1 = System.nanoTime();
                long m = 0;
                for (String d : docs) {
                    m += rust.ids(d, true).length;
                }
                long t2 = System.nanoTime();
                oursRate[r] = n / ((t1 - t0) / 1e9);
                rustRate[r] = m / ((t2 - t1) / 1e9);
            }
            double o = median(oursRate);
            double h = median(rustRate);
            System.out.printf("%-45s tokens %,d  ours %,.0f tok/s  rust %,.0f tok/s  ratio %.2fx%n", name, got, o, h,
                    o / h);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static List<String> readCorpus(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> docs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = mapper.readTree(line);
            docs.add((n.path("title").asText("") + " " + n.path("text").asText("")).strip());
        }
        return docs;
    }
}

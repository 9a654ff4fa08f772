package dev.rerank4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.RerankException;
import dev.rerank4j.api.Engine;
import dev.rerank4j.api.RankOptions;
import dev.rerank4j.api.RankedDocument;
import dev.rerank4j.api.Ranking;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rank", description = "Rank documents for a query; prints a Jina Reranker API response.")
final class RankCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = {"-q", "--query"}, required = true, paramLabel = "Q", description = "The query.")
    String query;

    @Option(names = "--top-n", paramLabel = "N", description = "Return only the N best documents.")
    int topN;

    @Option(names = "--return-documents", description = "Include each document's text in the results.")
    boolean returnDocuments;

    @Option(names = "--documents", paramLabel = "FILE", description = "Documents, one per line; a .jsonl file "
            + "holds one JSON string or object with 'text' per line; '-' reads stdin.")
    String documentsFile;

    @Option(names = "--max-length", paramLabel = "N", description = "Tokens per pair (default: the model's).")
    int maxLength;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Task instruction for instruction-aware "
            + "rerankers (Qwen3-Reranker; default: the model card's).")
    String instruction;

    @Parameters(paramLabel = "DOC", arity = "0..*", description = "Documents given on the command line.")
    List<String> documents = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> docs = new ArrayList<>(documents);
        if (documentsFile != null) {
            docs.addAll(readDocuments(documentsFile));
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no documents: give them as arguments or with --documents FILE");
        }
        try (Engine engine = model.load(); Reranker reranker = engine.reranker()) {
            RankOptions options = new RankOptions(topN, returnDocuments,
                    ScoreOptions.defaults().withMaxLength(maxLength).withInstruction(instruction));
            Ranking ranking = reranker.rank(query, docs, options);
            System.out.println(JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJina(ranking)));
        }
        return 0;
    }

    /** The Jina Reranker API response shape (also Cohere v1's). */
    static ObjectNode toJina(Ranking ranking) {
        ObjectNode root = JsonLines.JSON.createObjectNode();
        root.put("model", ranking.model());
        root.putObject("usage").put("total_tokens", ranking.totalTokens());
        var results = root.putArray("results");
        for (RankedDocument r : ranking.results()) {
            ObjectNode o = results.addObject();
            o.put("index", r.index());
            o.put("relevance_score", r.score());
            if (r.document() != null) {
                o.putObject("document").put("text", r.document());
            }
        }
        return root;
    }

    private static List<String> readDocuments(String file) throws IOException {
        boolean jsonl = file.endsWith(".jsonl");
        List<String> out = new ArrayList<>();
        try (BufferedReader in = file.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(jsonl ? jsonDocument(file, n, line) : line);
            }
        } catch (NoSuchFileException e) {
            throw new RerankException(file + ": no such file");
        }
        return out;
    }

    private static String jsonDocument(String file, int line, String s) {
        JsonNode n;
        try {
            n = JsonLines.JSON.readTree(s);
        } catch (IOException e) {
            throw new RerankException(file + ":" + line + ": not valid JSON");
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.path("text").isTextual()) {
            return n.get("text").asText();
        }
        throw new RerankException(file + ":" + line + ": expected a JSON string or an object with a 'text' string");
    }
}

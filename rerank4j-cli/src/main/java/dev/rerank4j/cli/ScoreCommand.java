package dev.rerank4j.cli;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", description = "Score (query, document) pairs from JSON Lines; adds 'logit' and 'score'.")
final class ScoreCommand implements Callable<Integer> {
    private static final int CHUNK = 1024;

    @Mixin
    ModelOptions model;

    @Mixin
    IoOptions io;

    @Option(names = "--max-length", paramLabel = "N", description = "Tokens per pair (default: the model's).")
    int maxLength;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Pairs per forward pass.")
    int batchSize;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Task instruction for instruction-aware "
            + "rerankers (Qwen3-Reranker; default: the model card's); a line's 'instruction' field overrides it.")
    String instruction;

    @Override
    public Integer call() throws Exception {
        try (Engine engine = model.load(); Reranker reranker = engine.reranker(); JsonLines lines = io.open()) {
            ScoreOptions options = ScoreOptions.defaults().withMaxLength(maxLength).withBatchSize(batchSize);
            List<JsonLines.Line> chunk;
            while (!(chunk = lines.next(CHUNK)).isEmpty()) {
                // Lines are scored per instruction (the prompt's), in input order within each.
                Map<String, List<Integer>> byInstruction = new LinkedHashMap<>();
                List<TextPair> pairs = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    JsonLines.Line l = chunk.get(i);
                    pairs.add(new TextPair(l.requireText(lines.source(), "query"),
                            l.requireText(lines.source(), "document")));
                    byInstruction.computeIfAbsent(l.optionalText(lines.source(), "instruction", instruction),
                            k -> new ArrayList<>()).add(i);
                }
                PairScore[] scores = new PairScore[chunk.size()];
                for (Map.Entry<String, List<Integer>> g : byInstruction.entrySet()) {
                    List<TextPair> group = g.getValue().stream().map(pairs::get).toList();
                    List<PairScore> s = reranker.score(group, options.withInstruction(g.getKey()));
                    for (int j = 0; j < s.size(); j++) {
                        scores[g.getValue().get(j)] = s.get(j);
                    }
                }
                for (int i = 0; i < chunk.size(); i++) {
                    var node = chunk.get(i).node();
                    node.put("logit", scores[i].logit());
                    node.put("score", scores[i].score());
                    lines.write(node);
                }
            }
        }
        return 0;
    }
}

package dev.rerank4j.cli;

import dev.rerank4j.api.Engine;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public Integer call() throws Exception {
        try (Engine engine = model.load(); Reranker reranker = engine.reranker(); JsonLines lines = io.open()) {
            ScoreOptions options = ScoreOptions.defaults().withMaxLength(maxLength).withBatchSize(batchSize);
            List<JsonLines.Line> chunk;
            while (!(chunk = lines.next(CHUNK)).isEmpty()) {
                List<TextPair> pairs = new ArrayList<>(chunk.size());
                for (JsonLines.Line l : chunk) {
                    pairs.add(new TextPair(l.requireText(lines.source(), "query"),
                            l.requireText(lines.source(), "document")));
                }
                List<PairScore> scores = reranker.score(pairs, options);
                for (int i = 0; i < chunk.size(); i++) {
                    var node = chunk.get(i).node();
                    node.put("logit", scores.get(i).logit());
                    node.put("score", scores.get(i).score());
                    lines.write(node);
                }
            }
        }
        return 0;
    }
}

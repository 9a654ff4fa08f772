package dev.rerank4j.cli;

import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", description = "Embed texts from JSON Lines with a bi-encoder; adds 'embedding'.")
final class EmbedCommand implements Callable<Integer> {
    private static final int CHUNK = 1024;

    @Mixin
    ModelOptions model;

    @Mixin
    IoOptions io;

    @Option(names = "--no-normalize", description = "Output the raw pooled vector, even if the model normalises.")
    boolean noNormalize;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Tokens per text (default: the model's max_seq_length).")
    int maxLength;

    @Override
    public Integer call() throws Exception {
        try (Engine engine = model.load(); Embedder embedder = engine.embedder(); JsonLines lines = io.open()) {
            boolean normalize = embedder.normalizes() && !noNormalize;
            List<JsonLines.Line> chunk;
            while (!(chunk = lines.next(CHUNK)).isEmpty()) {
                List<String> texts = new ArrayList<>(chunk.size());
                for (JsonLines.Line l : chunk) {
                    texts.add(l.requireText(lines.source(), "text"));
                }
                float[][] vectors = embedder.embed(texts, normalize, maxLength);
                for (int i = 0; i < chunk.size(); i++) {
                    var arr = chunk.get(i).node().putArray("embedding");
                    for (float f : vectors[i]) {
                        arr.add(f);
                    }
                    lines.write(chunk.get(i).node());
                }
            }
        }
        return 0;
    }
}

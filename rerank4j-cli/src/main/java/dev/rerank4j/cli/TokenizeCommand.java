package dev.rerank4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Engine;
import dev.rerank4j.model.Families;
import dev.rerank4j.model.ModelSpec;
import dev.rerank4j.model.PairFormat;
import dev.rerank4j.model.Pooling;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Tokenizer;
import dev.rerank4j.tokenizer.Truncation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokenize", description = "Tokenize 'query'+'document' pairs or 'text' lines; adds 'input_ids' "
        + "and 'token_type_ids'. Pairs become what the model reads when scoring them (a decoder reranker's prompt).")
final class TokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Mixin
    IoOptions io;

    @Option(names = "--max-length", paramLabel = "N", description = "Tokens per input (default: the model's).")
    int maxLength;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Task instruction for instruction-aware "
            + "rerankers (Qwen3-Reranker; default: the model card's); a line's 'instruction' field overrides it.")
    String instruction;

    @Override
    public Integer call() throws Exception {
        Path dir = model.resolve().directory();
        // Tokenizing needs no weights: only the tokenizer files and the model's position limit.
        Tokenizer tokenizer = Tokenizer.load(dir);
        ModelSpec spec = Families.spec(dir);
        int positions = spec.maxPositions();
        PairFormat format = spec.pairFormat();
        int limit = maxLength == 0 ? Engine.defaultMaxLength(positions, tokenizer, Pooling.read(dir)) : maxLength;
        if (limit > positions) {
            throw new IllegalArgumentException("--max-length " + limit + " exceeds the model's " + positions
                    + " positions");
        }
        try (JsonLines lines = io.open()) {
            Truncation truncation = Truncation.longestFirst(limit);
            List<JsonLines.Line> chunk;
            while (!(chunk = lines.next(1024)).isEmpty()) {
                for (JsonLines.Line l : chunk) {
                    ObjectNode n = l.node();
                    Encoding e = n.has("text") ? tokenizer.encode(l.requireText(lines.source(), "text"), truncation)
                            : format.encode(tokenizer, l.requireText(lines.source(), "query"),
                                    l.requireText(lines.source(), "document"), truncation,
                                    l.optionalText(lines.source(), "instruction", instruction));
                    var ids = n.putArray("input_ids");
                    for (int id : e.ids()) {
                        ids.add(id);
                    }
                    var types = n.putArray("token_type_ids");
                    for (int t : e.typeIds()) {
                        types.add(t);
                    }
                    lines.write(n);
                }
            }
        }
        return 0;
    }
}

package dev.rerank4j.cli;

import dev.rerank4j.bench.EndToEndBench;
import dev.rerank4j.api.Quantize;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rerank4j bench}: end-to-end throughput, short-query latency and one long pair; see EndToEndBench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure end-to-end speed: pairs/s, tokens/s and GFLOP/s on a dataset's pairs, the latency "
            + "of ranking 10 short documents, and one long pair with the process's peak memory.",
            "Without --model, a random-weight model of jina-reranker-v1-tiny-en's (or with --random-shape, "
                + "gte-reranker-modernbert-base's) shape is generated."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: random tiny-shape model).")
    Path model;

    @Option(names = "--random-shape", defaultValue = "tiny-jina",
            description = "Shape of the random model without --model: tiny-jina or modernbert-base "
                + "(default: ${DEFAULT-VALUE}).")
    String randomShape;

    @Option(names = "--tokenizer-from", paramLabel = "DIR",
            description = "Tokenizer files for the random model (default: testdata/models/jinabert-mini, "
                + "modernbert-mini for modernbert-base).")
    Path tokenizerFrom;

    @Option(names = "--pairs", paramLabel = "DIR",
            description = "BEIR-format dataset (queries.jsonl, corpus.jsonl, qrels/test.tsv) for the throughput run.")
    Path pairs;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Only the dataset's first N judged pairs (default: all).")
    int limit;

    @Option(names = "--threads", defaultValue = "2", description = "Compute threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "512",
            description = "Truncate pairs to N tokens (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--reps", defaultValue = "5",
            description = "Timed runs; medians are reported (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--card", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time the model card example: 1 query, 10 short documents (default: on).")
    boolean card;

    @Option(names = "--long", paramLabel = "N", defaultValue = "0",
            description = "Also run one pair of exactly N tokens and report time and peak memory (0: skip).")
    int longTokens;

    @Option(names = "--quantize", paramLabel = "none|int8|both", defaultValue = "none",
            description = "Quantization mode; both: the throughput runs alternate exact and int8 and report both "
                + "(default: ${DEFAULT-VALUE}).")
    String quantize;

    @Override
    public Integer call() {
        List<Quantize> modes = quantize.equals("both") ? List.of(Quantize.NONE, Quantize.INT8)
                : List.of(Quantize.parse(quantize));
        EndToEndBench.RandomShape shape = switch (randomShape) {
            case "tiny-jina" -> EndToEndBench.RandomShape.TINY_JINA;
            case "modernbert-base" -> EndToEndBench.RandomShape.MODERNBERT_BASE;
            default -> throw new IllegalArgumentException("--random-shape must be tiny-jina or modernbert-base, got '"
                    + randomShape + "'");
        };
        Path tokenizers = tokenizerFrom != null ? tokenizerFrom : Path.of(shape == EndToEndBench.RandomShape.TINY_JINA
                ? "testdata/models/jinabert-mini" : "testdata/models/modernbert-mini");
        EndToEndBench.run(new EndToEndBench.Options(model, shape, tokenizers, pairs, limit, threads, batchSize,
                maxLength, reps, card, longTokens, modes), System.out);
        return 0;
    }
}

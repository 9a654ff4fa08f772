package dev.rerank4j.cli;

import dev.rerank4j.bench.EndToEndBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rerank4j bench}: end-to-end throughput, short-query latency and one long pair; see EndToEndBench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure end-to-end speed: pairs/s, tokens/s and GFLOP/s on a dataset's pairs, the latency "
            + "of ranking 10 short documents, and one long pair with the process's peak memory.",
            "Without --model, a random-weight model of jina-reranker-v1-tiny-en's shape is generated."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: random tiny-shape model).")
    Path model;

    @Option(names = "--tokenizer-from", paramLabel = "DIR", defaultValue = "testdata/models/jinabert-mini",
            description = "Tokenizer files for the random model (default: ${DEFAULT-VALUE}).")
    Path tokenizerFrom;

    @Option(names = "--pairs", paramLabel = "DIR",
            description = "BEIR-format dataset (queries.jsonl, corpus.jsonl, qrels/test.tsv) for the throughput run.")
    Path pairs;

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

    @Override
    public Integer call() {
        EndToEndBench.run(new EndToEndBench.Options(model, tokenizerFrom, pairs, threads, batchSize, maxLength, reps,
                card, longTokens), System.out);
        return 0;
    }
}

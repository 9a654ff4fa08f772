package dev.rerank4j.spark;

import dev.rerank4j.api.LongDocuments;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The spark-submit job: reads candidates, adds {@code logit} and {@code score} with {@link RerankTransformer},
 * writes them (Parquet or JSON Lines) and optionally the top k per query as one TREC run.
 */
@Command(name = "rerank-spark", mixinStandardHelpOptions = true,
        description = "Score (query, document) rows on Spark; adds 'logit' and 'score', keeps every other column.")
public final class RerankJob implements Callable<Integer> {

    /** Either a table of pairs or a BEIR dataset with a run to rerank. */
    static final class Input {
        @Option(names = "--input", paramLabel = "F",
                description = "Parquet (file or folder) or JSON Lines (.jsonl) with the query and document columns.")
        String table;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Beir beir;
    }

    static final class Beir {
        @Option(names = "--beir", paramLabel = "DIR", required = true,
                description = "BEIR dataset (corpus.jsonl, queries.jsonl); with --run: rerank that run.")
        Path dataset;

        @Option(names = "--run", paramLabel = "FILE", required = true, description = "TREC run to rerank.")
        Path run;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "100", required = false,
                description = "Candidates per query taken from the run (default: 100).")
        int topK;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = {"-m", "--model"}, paramLabel = "M", required = true,
            description = "Model directory visible to every executor, a name shipped with --files/addFile, a Hugging "
                    + "Face id (each executor's Hugging Face cache) or 'bundled'.")
    String model;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Output folder (must not exist): a path or a URL Spark writes to.")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet or jsonl (default: parquet).")
    String outputFormat;

    @Option(names = "--trec-out", paramLabel = "FILE",
            description = "Also write the top --trec-top-k of every query as one TREC run (needs qid and docid).")
    Path trecOut;

    @Option(names = "--trec-top-k", paramLabel = "K", defaultValue = "0",
            description = "Hits per query in --trec-out (default 0: all).")
    int trecTopK;

    @Option(names = "--trec-tag", paramLabel = "TAG", defaultValue = "rerank4j", description = "Run tag column.")
    String trecTag;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] (spark-submit sets it otherwise).")
    String master;

    @Option(names = "--query-col", paramLabel = "NAME", defaultValue = "query", description = "Query column.")
    String queryCol;

    @Option(names = "--document-col", paramLabel = "NAME", defaultValue = "document", description = "Document column.")
    String documentCol;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "0", description = "Tokens per pair (0: model's).")
    int maxLength;

    @Option(names = "--long-documents", paramLabel = "MODE", defaultValue = "truncate",
            description = "truncate, chunk or full.")
    String longDocuments;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Pairs per forward pass.")
    int batchSize;

    @Option(names = "--threads-per-task", paramLabel = "N", defaultValue = "1",
            description = "Compute threads per task (default 1: Spark runs one task per core).")
    int threadsPerTask;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Repartition the input first (default 0: as read).")
    int partitions;

    public static void main(String[] args) {
        int code = new CommandLine(new RerankJob()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("rerank-spark: " + e.getMessage());
            return 1;
        }).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        SparkSession.Builder builder = SparkSession.builder().appName("rerank4j");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        try {
            run(spark);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** The job on a session the caller owns. */
    void run(SparkSession spark) {
        Dataset<Row> candidates = input.table != null ? Candidates.read(spark, input.table)
                : Candidates.fromRun(spark, input.beir.dataset, input.beir.run, input.beir.topK);
        if (partitions > 0) {
            candidates = candidates.repartition(partitions);
        }
        RerankTransformer transformer = new RerankTransformer().setModel(model).setQueryCol(queryCol)
                .setDocumentCol(documentCol).setMaxLength(maxLength)
                .setLongDocuments(LongDocuments.valueOf(longDocuments.toUpperCase(Locale.ROOT)))
                .setBatchSize(batchSize).setThreadsPerTask(threadsPerTask);
        spark.sparkContext().setJobDescription("rerank4j: scoring with " + model);
        Dataset<Row> scored = transformer.transform(candidates);
        String format = switch (outputFormat.toLowerCase(Locale.ROOT)) {
            case "parquet" -> "parquet";
            case "jsonl", "json" -> "json";
            default -> throw new IllegalArgumentException("--output-format must be parquet or jsonl, got "
                    + outputFormat);
        };
        long start = System.nanoTime();
        scored.write().format(format).save(output);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rows = spark.read().format(format).load(output).count();
        System.err.printf(Locale.ROOT, "rerank-spark: %d pairs scored in %.1f s (%.1f pairs/s) into %s%n", rows,
                seconds, rows / seconds, output);
        if (trecOut != null) {
            // Read back what was written rather than score twice.
            spark.sparkContext().setJobDescription("rerank4j: top " + trecTopK + " per query to " + trecOut);
            Dataset<Row> written = spark.read().format(format).load(output);
            TrecOutput.write(written, transformer.getLogitCol(), trecTopK, trecOut, trecTag);
        }
    }
}

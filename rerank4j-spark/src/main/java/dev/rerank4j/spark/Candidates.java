package dev.rerank4j.spark;

import dev.rerank4j.RerankException;
import dev.rerank4j.eval.BeirDataset;
import dev.rerank4j.eval.Evaluation;
import dev.rerank4j.eval.Hit;
import dev.rerank4j.eval.Run;
import dev.rerank4j.eval.TrecRunFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Where the job's (query, document) rows come from. */
final class Candidates {
    /** Rows made from a BEIR dataset and a run: what {@code rerank4j eval} reranks, one row per candidate. */
    static final StructType RUN_SCHEMA = new StructType()
            .add("qid", DataTypes.StringType, false)
            .add("docid", DataTypes.StringType, false)
            .add("first_stage_score", DataTypes.DoubleType, false)
            .add("query", DataTypes.StringType, false)
            .add("document", DataTypes.StringType, false);

    private Candidates() {
    }

    /**
     * Parquet (a file or a folder of them), or JSON Lines (.jsonl, .json, .ndjson), with every column kept; a local
     * path or any URL Spark reads ({@code hdfs://}, {@code s3a://}).
     */
    static Dataset<Row> read(SparkSession spark, String input) {
        if (!input.contains("://") && !Files.exists(Path.of(input))) {
            throw new RerankException(input + ": no such file or folder");
        }
        String name = input.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            // FAILFAST: a malformed line stops the job instead of becoming a row of nulls.
            return spark.read().option("mode", "FAILFAST").json(input);
        }
        return spark.read().parquet(input);
    }

    /**
     * Each query's top k of the run with the query's text and the document's {@code title + " " + text}, as
     * {@code rerank4j eval} feeds them to a reranker. Built on the driver, which holds the candidates' texts: sized
     * for evaluation runs (the 300 queries x 100 of SciFact are 30,000 rows); for larger jobs write the pairs as
     * Parquet or JSON Lines first.
     */
    static Dataset<Row> fromRun(SparkSession spark, Path beirDir, Path runFile, int topK) {
        BeirDataset dataset = new BeirDataset(beirDir);
        Map<String, String> queries = dataset.queries();
        Run run = TrecRunFile.read(runFile).cut(topK);
        Map<String, String> texts = Evaluation.candidateTexts(dataset, run);
        List<Row> rows = new ArrayList<>();
        run.byQuery().forEach((qid, hits) -> {
            String query = queries.get(qid);
            if (query == null) {
                throw new RerankException(runFile + ": query '" + qid + "' is not in " + dataset.queriesFile());
            }
            for (Hit h : hits) {
                rows.add(RowFactory.create(qid, h.docId(), h.score(), query, texts.get(h.docId())));
            }
        });
        return spark.createDataFrame(rows, RUN_SCHEMA);
    }
}

package dev.rerank4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.rerank4j.eval.Hit;
import dev.rerank4j.eval.Run;
import dev.rerank4j.eval.TrecRunFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The top k of every query as one TREC run file, ranked by logit as {@code rerank4j eval} ranks (sigmoid saturates
 * to 1.0 and would tie documents the model told apart). Only the top k per query reach the driver.
 */
final class TrecOutput {
    private TrecOutput() {
    }

    static void write(Dataset<Row> scored, String logitColumn, int topK, Path file, String tag) {
        for (String required : new String[] {"qid", "docid"}) {
            if (!Arrays.asList(scored.columns()).contains(required)) {
                throw new IllegalArgumentException("a TREC run needs columns 'qid' and 'docid'; the input has "
                        + String.join(", ", scored.columns()));
            }
        }
        // JSON output reads back as double; the float it was written from is what eval ranks by.
        Dataset<Row> hits = scored.select(col("qid").cast("string"), col("docid").cast("string"),
                col(logitColumn).cast("float").as(logitColumn));
        if (topK > 0) {
            hits = hits.withColumn("rank", row_number().over(Window.partitionBy("qid")
                            .orderBy(col(logitColumn).desc(), col("docid").desc())))
                    .where(col("rank").leq(topK)).drop("rank");
        }
        Map<String, List<Hit>> byQuery = new LinkedHashMap<>();
        for (Row r : hits.orderBy("qid").collectAsList()) {
            byQuery.computeIfAbsent(r.getString(0), q -> new ArrayList<>()).add(new Hit(r.getString(1), r.getFloat(2)));
        }
        TrecRunFile.write(file, new Run(byQuery), tag);
    }
}

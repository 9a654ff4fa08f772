package dev.rerank4j.spark;

import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.ScoreOptions;
import dev.rerank4j.api.TextPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: rows are read in groups, each group goes through {@link Reranker#score} (which sorts by
 * length and cuts token-budgeted batches), and every row comes out in its place with the logit and the score
 * appended. Groups bound the memory a task holds whatever the partition's size.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Rows per scoring call: enough for length sorting to pay off, few enough to hold in memory. */
    static final int GROUP = 2048;

    private final ScoringSettings settings;
    private final String queryColumn;
    private final String documentColumn;
    private final int queryIndex;
    private final int documentIndex;

    PartitionScorer(ScoringSettings settings, String queryColumn, int queryIndex, String documentColumn,
            int documentIndex) {
        this.settings = settings;
        this.queryColumn = queryColumn;
        this.queryIndex = queryIndex;
        this.documentColumn = documentColumn;
        this.documentIndex = documentIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Reranker reranker = ModelCache.reranker(settings.model(), settings.threadsPerTask());
        ScoreOptions options = settings.scoreOptions();
        return new Iterator<>() {
            private List<Row> rows = List.of();
            private List<PairScore> scores = List.of();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < rows.size()) {
                    return true;
                }
                if (!input.hasNext()) {
                    return false;
                }
                rows = new ArrayList<>(GROUP);
                List<TextPair> pairs = new ArrayList<>(GROUP);
                while (rows.size() < GROUP && input.hasNext()) {
                    Row row = input.next();
                    rows.add(row);
                    pairs.add(new TextPair(text(row, queryIndex, queryColumn), text(row, documentIndex, documentColumn)));
                }
                scores = reranker.score(pairs, options);
                next = 0;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = rows.get(next);
                PairScore s = scores.get(next++);
                Object[] values = new Object[row.length() + 2];
                for (int i = 0; i < row.length(); i++) {
                    values[i] = row.get(i);
                }
                values[row.length()] = s.logit();
                values[row.length() + 1] = s.score();
                return RowFactory.create(values);
            }
        };
    }

    private static String text(Row row, int index, String column) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("column '" + column + "' is null in a row of partition "
                    + TaskContext.getPartitionId());
        }
        return row.getString(index);
    }
}

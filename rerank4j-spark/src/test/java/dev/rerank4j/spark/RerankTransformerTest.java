package dev.rerank4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class RerankTransformerTest {
    private static final int PAIRS = 2_000;

    @Test
    void scoresEveryRowBitIdenticallyToTheLibraryKeepingOrderAndColumns() {
        SparkSession spark = LocalSpark.session();
        List<TextPair> pairs = TestPairs.pairs(PAIRS, 17);
        Dataset<Row> input = TestPairs.frame(spark, pairs);
        assertThat(input.rdd().getNumPartitions()).isEqualTo(2);

        RerankTransformer transformer = new RerankTransformer().setModel(TestPairs.MODEL);
        List<Row> scored = transformer.transform(input).collectAsList();
        List<PairScore> expected;
        try (Reranker reranker = Reranker.load(Path.of(TestPairs.MODEL), EngineOptions.defaults().withThreads(2))) {
            expected = reranker.score(pairs);
        }

        assertThat(scored).hasSize(PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            Row row = scored.get(i);
            assertThat(row.getLong(0)).isEqualTo(i);
            assertThat(row.getString(1)).isEqualTo(pairs.get(i).query());
            assertThat(row.isNullAt(2) ? null : row.getString(2)).isEqualTo(i % 7 == 0 ? null : "t" + i);
            assertThat(row.getString(3)).isEqualTo(pairs.get(i).document());
            assertThat(Float.floatToRawIntBits(row.getFloat(4))).as("logit of pair %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected.get(i).logit()));
            assertThat(row.getDouble(5)).as("score of pair %d", i).isEqualTo(expected.get(i).score());
        }
        assertThat(scored.get(0).schema().fieldNames()).containsExactly("id", "query", "tag", "document", "logit",
                "score");

        transformer.transform(input.limit(10)).collectAsList();
        assertThat(ModelCache.loads()).as("models loaded in this JVM").isEqualTo(1);
    }

    @Test
    void namesAMissingOrMistypedColumn() {
        Dataset<Row> input = TestPairs.frame(LocalSpark.session(), TestPairs.pairs(2, 1));
        assertThatThrownBy(() -> new RerankTransformer().setModel(TestPairs.MODEL).setDocumentCol("text")
                .transform(input)).hasMessageContaining("input has no column 'text'");
        assertThatThrownBy(() -> new RerankTransformer().setModel(TestPairs.MODEL).setQueryCol("id")
                .transform(input)).hasMessageContaining("column 'id' must be a string, got bigint");
        assertThatThrownBy(() -> new RerankTransformer().setModel(TestPairs.MODEL).setLogitCol("tag")
                .transform(input)).hasMessageContaining("output column 'tag' already exists");
        assertThatThrownBy(() -> new RerankTransformer().transform(input))
                .hasMessageContaining("param 'model' is not set");
    }
}

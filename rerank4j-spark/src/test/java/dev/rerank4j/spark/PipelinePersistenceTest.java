package dev.rerank4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.LongDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePersistenceTest {
    @TempDir
    Path dir;

    @Test
    void pipelineWithTheTransformerSavesAndLoadsWithEveryParam() throws IOException {
        Dataset<Row> input = TestPairs.frame(LocalSpark.session(), TestPairs.pairs(20, 9));
        RerankTransformer stage = new RerankTransformer().setModel(TestPairs.MODEL).setQueryCol("query")
                .setDocumentCol("document").setLogitCol("l").setScoreCol("s").setMaxLength(64)
                .setLongDocuments(LongDocuments.CHUNK).setChunkOverlap(8).setBatchSize(7).setThreadsPerTask(1);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {stage});
        pipeline.write().save(dir.resolve("pipeline").toString());

        Pipeline loaded = Pipeline.load(dir.resolve("pipeline").toString());
        assertThat(loaded.getStages()).hasSize(1);
        RerankTransformer back = (RerankTransformer) loaded.getStages()[0];
        assertThat(back.uid()).isEqualTo(stage.uid());
        assertThat(List.of(back.getModel(), back.getLogitCol(), back.getScoreCol(), back.getLongDocuments()))
                .containsExactly(TestPairs.MODEL, "l", "s", LongDocuments.CHUNK);
        assertThat(List.of(back.getMaxLength(), back.getChunkOverlap(), back.getBatchSize(), back.getThreadsPerTask()))
                .containsExactly(64, 8, 7, 1);

        PipelineModel fitted = pipeline.fit(input);
        fitted.write().save(dir.resolve("model").toString());
        List<Row> before = fitted.transform(input).collectAsList();
        List<Row> after = PipelineModel.load(dir.resolve("model").toString()).transform(input).collectAsList();
        assertThat(after).isEqualTo(before);
        assertThat(after.get(0).schema().fieldNames()).endsWith("l", "s");
    }
}

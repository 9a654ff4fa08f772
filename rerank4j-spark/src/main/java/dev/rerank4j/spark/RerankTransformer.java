package dev.rerank4j.spark;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.api.ScoreOptions;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Adds a cross-encoder's logit and score to every row of a DataFrame, keeping the rows, their order and their
 * other columns. The model is loaded once per executor JVM ({@link ModelCache}); only its name travels with the
 * task. Usable in a {@code Pipeline}, saved and loaded with {@code MLWritable}/{@code MLReadable}.
 *
 * <pre>{@code
 * Dataset<Row> scored = new RerankTransformer().setModel("/shared/models/jina-reranker-v1-tiny-en")
 *         .setQueryCol("query").setDocumentCol("document").transform(pairs);
 * }</pre>
 */
public final class RerankTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> model;
    private final Param<String> queryCol;
    private final Param<String> documentCol;
    private final Param<String> logitCol;
    private final Param<String> scoreCol;
    private final IntParam maxLength;
    private final Param<String> longDocuments;
    private final IntParam batchSize;
    private final IntParam chunkOverlap;
    private final IntParam threadsPerTask;

    public RerankTransformer() {
        this(Identifiable$.MODULE$.randomUID("rerank4j"));
    }

    /** Spark's readers and {@code copy} create stages through this constructor. */
    public RerankTransformer(String uid) {
        this.uid = uid;
        ScoreOptions defaults = ScoreOptions.defaults();
        model = new Param<>(this, "model", "model directory visible to every executor, a name shipped with "
                + "spark.addFile, a Hugging Face id (each executor's Hugging Face cache) or 'bundled'");
        queryCol = new Param<>(this, "queryCol", "column holding the query text");
        documentCol = new Param<>(this, "documentCol", "column holding the document text");
        logitCol = new Param<>(this, "logitCol", "output column for the model's logit (float)");
        scoreCol = new Param<>(this, "scoreCol", "output column for the relevance score, sigmoid(logit) (double)");
        maxLength = new IntParam(this, "maxLength", "tokens per pair; 0: the model's default",
                ParamValidators.gtEq(0));
        longDocuments = new Param<>(this, "longDocuments", "pairs over maxLength: truncate, chunk or full",
                ParamValidators.inArray(Arrays.stream(LongDocuments.values()).map(RerankTransformer::modeName)
                        .toArray(String[]::new)));
        batchSize = new IntParam(this, "batchSize", "most pairs per forward pass", ParamValidators.gtEq(1));
        chunkOverlap = new IntParam(this, "chunkOverlap", "tokens shared by neighbouring windows (chunk mode)",
                ParamValidators.gtEq(0));
        threadsPerTask = new IntParam(this, "threadsPerTask", "compute threads of each task (one task per core "
                + "is Spark's way to use the cores)", ParamValidators.gtEq(1));
        setDefault(queryCol, "query");
        setDefault(documentCol, "document");
        setDefault(logitCol, "logit");
        setDefault(scoreCol, "score");
        setDefault(maxLength, defaults.maxLength());
        setDefault(longDocuments, modeName(defaults.longDocuments()));
        setDefault(batchSize, defaults.batchSize());
        setDefault(chunkOverlap, defaults.chunkOverlap());
        setDefault(threadsPerTask, 1);
    }

    // Spark finds a stage's params through public no-argument methods returning Param.

    public Param<String> model() {
        return model;
    }

    public Param<String> queryCol() {
        return queryCol;
    }

    public Param<String> documentCol() {
        return documentCol;
    }

    public Param<String> logitCol() {
        return logitCol;
    }

    public Param<String> scoreCol() {
        return scoreCol;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public Param<String> longDocuments() {
        return longDocuments;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam chunkOverlap() {
        return chunkOverlap;
    }

    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    public RerankTransformer setModel(String value) {
        set(model, value);
        return this;
    }

    public RerankTransformer setQueryCol(String value) {
        set(queryCol, value);
        return this;
    }

    public RerankTransformer setDocumentCol(String value) {
        set(documentCol, value);
        return this;
    }

    public RerankTransformer setLogitCol(String value) {
        set(logitCol, value);
        return this;
    }

    public RerankTransformer setScoreCol(String value) {
        set(scoreCol, value);
        return this;
    }

    public RerankTransformer setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    public RerankTransformer setLongDocuments(LongDocuments value) {
        set(longDocuments, modeName(value));
        return this;
    }

    public RerankTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public RerankTransformer setChunkOverlap(int value) {
        set(chunkOverlap, value);
        return this;
    }

    public RerankTransformer setThreadsPerTask(int value) {
        set(threadsPerTask, value);
        return this;
    }

    public String getModel() {
        return getOrDefault(model);
    }

    public String getQueryCol() {
        return getOrDefault(queryCol);
    }

    public String getDocumentCol() {
        return getOrDefault(documentCol);
    }

    public String getLogitCol() {
        return getOrDefault(logitCol);
    }

    public String getScoreCol() {
        return getOrDefault(scoreCol);
    }

    public int getMaxLength() {
        return (Integer) getOrDefault(maxLength);
    }

    public LongDocuments getLongDocuments() {
        return LongDocuments.valueOf(getOrDefault(longDocuments).toUpperCase(Locale.ROOT));
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public int getChunkOverlap() {
        return (Integer) getOrDefault(chunkOverlap);
    }

    public int getThreadsPerTask() {
        return (Integer) getOrDefault(threadsPerTask);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(model)) {
            throw new IllegalArgumentException(uid + ": param 'model' is not set");
        }
        requireString(schema, getQueryCol());
        requireString(schema, getDocumentCol());
        for (String out : new String[] {getLogitCol(), getScoreCol()}) {
            if (Arrays.asList(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(uid + ": output column '" + out + "' already exists");
            }
        }
        return schema.add(getLogitCol(), DataTypes.FloatType, false).add(getScoreCol(), DataTypes.DoubleType, false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        ScoringSettings settings = new ScoringSettings(getModel(), getMaxLength(), getLongDocuments(),
                getBatchSize(), getChunkOverlap(), getThreadsPerTask());
        PartitionScorer scorer = new PartitionScorer(settings, getQueryCol(), in.fieldIndex(getQueryCol()),
                getDocumentCol(), in.fieldIndex(getDocumentCol()));
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    @Override
    public RerankTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** What {@code Pipeline.load} and {@code PipelineModel.load} call, by reflection, to read this stage back. */
    public static MLReader<RerankTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static RerankTransformer load(String path) {
        return read().load(path);
    }

    private void requireString(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(uid + ": input has no column '" + column + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        StructField field = schema.apply(column);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(uid + ": column '" + column + "' must be a string, got "
                    + field.dataType().simpleString());
        }
    }

    private static String modeName(LongDocuments mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}

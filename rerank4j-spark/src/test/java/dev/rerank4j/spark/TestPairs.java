package dev.rerank4j.spark;

import dev.rerank4j.api.TextPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The jinabert-mini fixture and pairs of varied lengths, so that length sorting and batching matter. */
final class TestPairs {
    static final String MODEL = Path.of("../testdata/models/jinabert-mini").toAbsolutePath().normalize().toString();
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("query", DataTypes.StringType, false)
            .add("tag", DataTypes.StringType, true)
            .add("document", DataTypes.StringType, false);

    private static final String[] WORDS = ("organic skincare products for sensitive skin eco friendly kitchenware "
            + "modern homes biodegradable cleaning supplies cotton baby clothes natural range tech gadgets smart "
            + "sustainable gardening tools compost solutions facial cleansers toners food wraps storage pet dogs "
            + "allergies yoga mats recycled materials deep learning neural networks retrieval ranking").split(" ");

    private TestPairs() {
    }

    static List<TextPair> pairs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TextPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TextPair(words(random, 2 + random.nextInt(6)), words(random, 3 + random.nextInt(30))));
        }
        return out;
    }

    /** id, query, tag (null on every seventh row), document: the pairs in order, with columns to pass through. */
    static Dataset<Row> frame(SparkSession spark, List<TextPair> pairs) {
        List<Row> rows = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            rows.add(RowFactory.create((long) i, pairs.get(i).query(), i % 7 == 0 ? null : "t" + i,
                    pairs.get(i).document()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static String words(SplittableRandom random, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}

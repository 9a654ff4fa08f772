package dev.rerank4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rerank4j.testing.MiniLmCrossEncoder;
import dev.rerank4j.tokenizer.Encoding;
import dev.rerank4j.tokenizer.Truncation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link MiniLmCrossEncoder} checkpoint (real all-MiniLM-L6-v2 encoder weights, seeded head). The expected logit
 * comes from ONNX Runtime's hidden state of [CLS] pushed through the same head in double.
 */
class BertCrossEncoderTest {
    @TempDir
    Path tmp;

    @Test
    void bertCrossEncoderMatchesOnnxRuntimeThroughTheHead() throws IOException, OrtException {
        MiniLmCrossEncoder ce = MiniLmCrossEncoder.write(tmp);
        Path dir = ce.dir();
        Path bundled = ce.bundled();
        int h = MiniLmCrossEncoder.HIDDEN;
        float[] poolerW = ce.poolerW();
        float[] poolerB = ce.poolerB();
        float[] clsW = ce.clsW();
        float[] clsB = ce.clsB();

        List<TextPair> pairs = List.of(
                new TextPair("What is Deep Learning?", "Deep learning is part of machine learning based on neural nets."),
                new TextPair("how many people live in berlin", "Berlin has about 3.8 million inhabitants (2023)."),
                new TextPair("Café naïve", "日本語のテキストと emoji 🚀, plus ümlauts."));
        try (Engine engine = Engine.load(dir, EngineOptions.defaults().withThreads(2));
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession ort = env.createSession(bundled.resolve("onnx/model.onnx").toString())) {
            assertThat(engine.architecture().name()).isEqualTo("BERT_CROSS_ENCODER");
            assertThat(engine.defaultMaxLength()).isEqualTo(512);
            Reranker reranker = engine.reranker();
            List<PairScore> scores = reranker.score(pairs);
            for (int p = 0; p < pairs.size(); p++) {
                Encoding e = engine.tokenizer().encodePair(pairs.get(p).query(), pairs.get(p).document(),
                        Truncation.longestFirst(512));
                assertThat(e.typeIds()).contains(1); // BERT pairs mark the document with token type 1
                double[] cls = ortClsState(env, ort, e);
                double expected = clsB[0];
                for (int i = 0; i < h; i++) {
                    double s = poolerB[i];
                    for (int j = 0; j < h; j++) {
                        s += poolerW[i * h + j] * cls[j];
                    }
                    expected += clsW[i] * Math.tanh(s);
                }
                assertThat((double) scores.get(p).logit()).as("pair %d", p).isCloseTo(expected, within(1e-4));
                assertThat(scores.get(p).tokens()).isEqualTo(e.length());
            }
        }
    }

    private static double[] ortClsState(OrtEnvironment env, OrtSession ort, Encoding e) throws OrtException {
        long[][] ids = {toLong(e.ids())};
        long[][] types = {toLong(e.typeIds())};
        long[][] mask = {new long[e.length()]};
        java.util.Arrays.fill(mask[0], 1);
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
                OnnxTensor b = OnnxTensor.createTensor(env, mask);
                OnnxTensor c = OnnxTensor.createTensor(env, types);
                OrtSession.Result r = ort.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            float[][][] hidden = (float[][][]) r.get(0).getValue();
            double[] cls = new double[hidden[0][0].length];
            for (int i = 0; i < cls.length; i++) {
                cls[i] = hidden[0][0][i];
            }
            return cls;
        }
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}

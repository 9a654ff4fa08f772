package dev.rerank4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.api.Embedder;
import dev.rerank4j.api.EngineOptions;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation pipeline with ModernBERT at both stages: a bi-encoder first stage and the cross-encoder. */
class ModernBertEvalTest {
    static final Path MINI = Path.of("../testdata/models/modernbert-mini");

    @TempDir
    Path dir;

    /**
     * modernbert-mini's encoder as a sentence-transformers ModernBertModel with mean pooling; the weights keep
     * their {@code model.} prefix, which the loader accepts as for the classification checkpoint.
     */
    private Path biEncoder() throws IOException {
        Path bi = Files.createDirectories(dir.resolve("bi/1_Pooling"));
        bi = bi.getParent();
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "model.safetensors")) {
            Files.copy(MINI.resolve(f), bi.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(MINI.resolve("config.json").toFile());
        config.putArray("architectures").add("ModernBertModel");
        json.writeValue(bi.resolve("config.json").toFile(), config);
        Files.writeString(bi.resolve("modules.json"), "[{\"idx\": 0, \"path\": \"\", \"type\": "
                + "\"sentence_transformers.models.Transformer\"}, {\"idx\": 1, \"path\": \"1_Pooling\", "
                + "\"type\": \"sentence_transformers.models.Pooling\"}]");
        Files.writeString(bi.resolve("1_Pooling/config.json"), "{\"pooling_mode_mean_tokens\": true}");
        return bi;
    }

    @Test
    void denseModernBertFirstStageThenModernBertRerankingScoreAsTheApiDoes() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        TinyBeir.write(data);
        Path bi = biEncoder();
        EvalSettings dense = EvalSettings.defaults(data).withTopK(3).withFirstStage(new FirstStageSpec.Dense(bi));
        Run firstStage = Evaluation.run(dense, Progress.QUIET).finalRun();
        EvalResult r = Evaluation.run(dense.withModel(MINI), Progress.QUIET);
        assertThat(r.modelId()).isEqualTo("modernbert-mini");
        assertThat(r.timings().pairs()).isEqualTo(9); // 3 judged queries x top 3
        Map<String, String> queries = Map.of("q1", "cats", "q2", "morning birds", "q3", "dog");
        Map<String, String> texts = Map.of("d1", "Cats The cat sat on the mat.", "d2", "Dogs A dog barked at the cat.",
                "d3", "Birds sing in the morning.");
        try (Reranker reranker = Reranker.load(MINI, EngineOptions.defaults().withThreads(1));
                Embedder embedder = Embedder.load(bi, EngineOptions.defaults().withThreads(1))) {
            for (String q : queries.keySet()) {
                float[] query = embedder.embed(List.of(queries.get(q)), true, 0)[0];
                List<Hit> candidates = firstStage.of(q);
                assertThat(candidates).hasSize(3);
                for (Hit h : candidates) {
                    float[] doc = embedder.embed(List.of(texts.get(h.docId())), true, 0)[0];
                    assertThat(h.score()).as("cosine of %s and %s", q, h.docId()).isCloseTo(dot(query, doc), within(1e-5));
                }
                List<Hit> hits = r.finalRun().of(q);
                List<PairScore> direct = reranker.score(hits.stream()
                        .map(h -> new TextPair(queries.get(q), texts.get(h.docId()))).toList());
                for (int i = 0; i < hits.size(); i++) {
                    assertThat(hits.get(i).score()).isCloseTo(direct.get(i).logit(), within(1e-5));
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

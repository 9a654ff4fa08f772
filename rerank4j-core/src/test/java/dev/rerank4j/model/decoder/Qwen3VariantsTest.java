package dev.rerank4j.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.api.PairScore;
import dev.rerank4j.api.Reranker;
import dev.rerank4j.api.TextPair;
import dev.rerank4j.kernels.ComputePool;
import dev.rerank4j.kernels.KernelsProvider;
import dev.rerank4j.model.Families;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Qwen3Golden;
import dev.rerank4j.testing.SafetensorsWriter;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints derived from the fixture in the test: an untied output layer, a Qwen3ForSequenceClassification
 * score head, BF16 weights; and settings the forward pass does not implement, refused.
 */
class Qwen3VariantsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int[] YES_NO = {Qwen3Golden.YES, Qwen3Golden.NO};
    static ComputePool pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** A copy of the fixture with its config edited and its tensors rewritten by {@code tensors}. */
    Path variant(String name, Consumer<ObjectNode> config, Consumer<SafetensorsWriter> extra,
            UnaryOperator<SafetensorsWriter.Entry> each) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(Qwen3Golden.DIR.resolve(f), dir.resolve(f));
        }
        ObjectNode c = (ObjectNode) JSON.readTree(Qwen3Golden.DIR.resolve("config.json").toFile());
        config.accept(c);
        JSON.writeValue(dir.resolve("config.json").toFile(), c);
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsSource src = SafetensorsSource.open(Qwen3Golden.DIR)) {
            for (String n : src.names().stream().sorted().toList()) {
                Tensor t = src.get(n);
                w.put(n, each.apply(SafetensorsWriter.Entry.f32(t.shape(), t.toFloats())));
            }
        }
        extra.accept(w);
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    static float[] row(int id) {
        try (SafetensorsSource src = SafetensorsSource.open(Qwen3Golden.DIR)) {
            Tensor e = src.get("model.embed_tokens.weight");
            float[] r = new float[e.shape()[1]];
            for (int j = 0; j < r.length; j++) {
                r[j] = e.get(id, j);
            }
            return r;
        }
    }

    @Test
    void anUntiedOutputLayerIsReadFromLmHead() throws IOException {
        int vocab = 50560, h = 64;
        float[] lmHead = new float[vocab * h];
        Random random = new Random(5);
        for (int i = 0; i < lmHead.length; i++) {
            lmHead[i] = (float) (random.nextGaussian() * 0.15);
        }
        Path dir = variant("untied", c -> c.put("tie_word_embeddings", false),
                w -> w.put("lm_head.weight", SafetensorsWriter.Entry.f32(new int[] {vocab, h}, lmHead)), e -> e);
        DecoderModel m = (DecoderModel) Model.load(dir, KernelsProvider.choose());
        for (String line : Files.readAllLines(Qwen3Golden.DIR.resolve("hidden_states.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            int[] ids = JSON.convertValue(n.get("input_ids"), int[].class);
            double[] hidden = JSON.convertValue(n.get("last_token_final_norm_fp64"), double[].class);
            float[] l = m.lastLogits(List.of(Segment.whole(ids)), pool);
            for (int o = 0; o < 2; o++) {
                double expected = 0;
                for (int j = 0; j < h; j++) {
                    expected += hidden[j] * lmHead[YES_NO[o] * h + j];
                }
                assertThat((double) l[o]).as("%s output %d", n.get("id").asText(), o)
                        .isCloseTo(expected, within(1e-4));
            }
        }
        Path broken = variant("untied-without-lm-head", c -> c.put("tie_word_embeddings", false), w -> { }, e -> e);
        assertThatThrownBy(() -> Model.load(broken, KernelsProvider.choose()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("lm_head.weight");
    }

    @Test
    void aSequenceClassificationCheckpointScoresWithItsOneRowHead() throws IOException {
        float[] yes = row(Qwen3Golden.YES);
        float[] no = row(Qwen3Golden.NO);
        float[] score = new float[yes.length];
        for (int j = 0; j < score.length; j++) {
            score[j] = yes[j] - no[j];
        }
        Path dir = variant("seq-cls", c -> {
            c.putArray("architectures").add("Qwen3ForSequenceClassification");
            c.put("num_labels", 1);
        }, w -> w.put("score.weight", SafetensorsWriter.Entry.f32(new int[] {1, score.length}, score)), e -> e);
        List<Qwen3Golden.Pair> pairs = Qwen3Golden.pairs().subList(0, 6);
        DecoderModel m = (DecoderModel) Model.load(dir, KernelsProvider.choose());
        assertThat(m.outputs()).isEqualTo(1);
        assertThat(m.architecture().name()).isEqualTo("QWEN3_RERANKER");
        try (Reranker r = Reranker.load(dir)) {
            for (Qwen3Golden.Pair p : pairs) {
                float direct = m.lastLogits(List.of(Segment.whole(p.inputIds())), pool)[0];
                assertThat((double) direct).as(p.id()).isCloseTo(p.difference(), within(1e-4));
                PairScore s = r.score(List.of(new TextPair(p.query(), p.document()))).get(0);
                assertThat(s.logit()).isEqualTo(direct);
            }
        }
    }

    @Test
    void bf16WeightsGiveTheBitsOfTheSameValuesStoredAsFloat() throws IOException {
        Path bf16 = variant("bf16", c -> c.put("torch_dtype", "bfloat16"), w -> { }, Qwen3VariantsTest::toBf16);
        Path widened = variant("bf16-as-f32", c -> { }, w -> { }, e -> widen(toBf16(e)));
        DecoderModel a = (DecoderModel) Model.load(bf16, KernelsProvider.choose());
        DecoderModel b = (DecoderModel) Model.load(widened, KernelsProvider.choose());
        for (Qwen3Golden.Pair p : Qwen3Golden.pairs().subList(0, 5)) {
            float[] la = a.lastLogits(List.of(Segment.whole(p.inputIds())), pool);
            float[] lb = b.lastLogits(List.of(Segment.whole(p.inputIds())), pool);
            assertThat(la).as(p.id()).containsExactly(lb);
            assertThat((double) (la[0] - la[1])).as(p.id()).isCloseTo(p.difference(), within(0.05));
        }
    }

    @Test
    void unsupportedSettingsAreRefusedByName() throws IOException {
        for (String[] setting : new String[][] {{"attention_bias", "true"}, {"use_sliding_window", "true"},
            {"hidden_act", "\"gelu\""}, {"rope_scaling", "{\"rope_type\": \"yarn\", \"factor\": 4.0}"},
            {"architectures", "[\"Qwen3ForTokenClassification\"]"}}) {
            Path dir = Files.createDirectories(tmp.resolve("refused-" + setting[0]));
            ObjectNode c = (ObjectNode) JSON.readTree(Qwen3Golden.DIR.resolve("config.json").toFile());
            c.set(setting[0], JSON.readTree(setting[1]));
            JSON.writeValue(dir.resolve("config.json").toFile(), c);
            assertThatThrownBy(() -> Families.spec(dir)).as(setting[0])
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(setting[0].equals("architectures") ? "Qwen3ForTokenClassification"
                            : setting[0]);
        }
    }

    static SafetensorsWriter.Entry toBf16(SafetensorsWriter.Entry e) {
        ByteBuffer in = ByteBuffer.wrap(e.data()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(e.data().length / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            int bits = Float.floatToRawIntBits(in.getFloat());
            out.putShort((short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16));
        }
        return new SafetensorsWriter.Entry("BF16", e.shape(), out.array());
    }

    static SafetensorsWriter.Entry widen(SafetensorsWriter.Entry bf16) {
        ByteBuffer in = ByteBuffer.wrap(bf16.data()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(bf16.data().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putInt((in.getShort() & 0xffff) << 16);
        }
        return new SafetensorsWriter.Entry("F32", bf16.shape(), out.array());
    }
}

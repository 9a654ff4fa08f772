package dev.rerank4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.testing.Golden;
import dev.rerank4j.testing.SafetensorsWriter;
import dev.rerank4j.testing.SafetensorsWriter.Entry;
import dev.rerank4j.weights.SafetensorsSource;
import dev.rerank4j.weights.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a model directory can be wrong yields one message naming the file and the problem. */
class ModelLoadingErrorsTest {
    @TempDir
    Path tmp;

    private Path copyFixture() throws IOException {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"}) {
            Files.copy(Golden.JINABERT_MINI.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static Model load(Path dir) {
        return Model.load(dir, new ScalarKernels());
    }

    /** Rewrites the fixture's safetensors, passing each tensor through edit (null drops it). */
    private Path rewrite(UnaryOperator<Entry> edit, String onlyName) throws IOException {
        Path dir = copyFixture();
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsSource src = SafetensorsSource.open(Golden.JINABERT_MINI)) {
            for (String name : src.names()) {
                Tensor t = src.get(name);
                float[] v = t.toFloats();
                ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putShort(Float.floatToFloat16(f));
                }
                Entry e = new Entry("F16", t.shape(), b.array());
                Entry edited = name.equals(onlyName) ? edit.apply(e) : e;
                if (edited != null) {
                    w.put(name, edited);
                }
            }
        }
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }

    @Test
    void missingDirectory() {
        Path dir = tmp.resolve("nope");
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(dir + ": no such model directory");
    }

    @Test
    void missingConfig() throws IOException {
        Path dir = copyFixture();
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> load(dir)).hasMessage(dir.resolve("config.json")
                + ": no such file (a model directory needs config.json)");
    }

    @Test
    void missingWeights() throws IOException {
        Path dir = copyFixture();
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> load(dir)).hasMessage(dir + ": no weights found: expected model.safetensors, "
                + "model.safetensors.index.json or onnx/model.onnx");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path dir = copyFixture();
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(f + ": truncated or corrupt: tensor '")
                .hasMessageContaining("but the data section holds");
    }

    @Test
    void fileShorterThanTheHeaderLength() throws IOException {
        Path dir = copyFixture();
        Path f = dir.resolve("model.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> load(dir))
                .hasMessage(f + ": truncated: 3 bytes, too short for a safetensors header");
    }

    @Test
    void corruptHeaderLength() throws IOException {
        Path dir = copyFixture();
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 2);
        Files.write(f, all);
        assertThatThrownBy(() -> load(dir)).hasMessageStartingWith(f + ": corrupt header: declared header length");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path dir = copyFixture();
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        all[8] = '#';
        Files.write(f, all);
        assertThatThrownBy(() -> load(dir)).hasMessageStartingWith(f + ": corrupt header: not valid JSON");
    }

    @Test
    void missingTensor() throws IOException {
        String name = "bert.encoder.layer.1.mlp.wo.weight";
        Path dir = rewrite(e -> null, name);
        assertThatThrownBy(() -> load(dir))
                .hasMessage(dir.resolve("model.safetensors") + ": tensor '" + name + "' is missing");
    }

    @Test
    void tensorOfTheWrongShape() throws IOException {
        String name = "bert.encoder.layer.0.attention.self.key.weight";
        Path dir = rewrite(e -> new Entry("F16", new int[] {96, 48}, Arrays.copyOf(e.data(), 96 * 48 * 2)), name);
        assertThatThrownBy(() -> load(dir)).hasMessage(dir.resolve("model.safetensors") + ": tensor '" + name
                + "' has shape [96, 48], expected [96, 96]");
    }

    @Test
    void unsupportedDtype() throws IOException {
        String name = "bert.pooler.dense.bias";
        Path dir = rewrite(e -> new Entry("F8_E4M3", e.shape(), Arrays.copyOf(e.data(), e.data().length / 2)), name);
        assertThatThrownBy(() -> load(dir)).hasMessage(dir.resolve("model.safetensors") + ": tensor '" + name
                + "' has unsupported dtype 'F8_E4M3'; supported: F32, F16, BF16 (integer tensors are ignored)");
    }

    @Test
    void unknownFamilyListsTheSupportedOnes() throws IOException {
        Path dir = copyFixture();
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["T5ForConditionalGeneration"], "model_type": "t5",
                 "hidden_size": 768, "num_attention_heads": 12}""");
        // Each family adds its own entries to the list; these are the ones the BERT-layer family owns.
        assertThatThrownBy(() -> load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(dir.resolve("config.json") + ": unsupported architecture "
                        + "'T5ForConditionalGeneration' (model_type 't5'); supported: ")
                .hasMessageContaining("JinaBertForSequenceClassification, BertForSequenceClassification, BertModel "
                        + "(model_type 'bert')")
                .hasMessageContaining("XLMRobertaForSequenceClassification, XLMRobertaModel (model_type 'xlm-roberta')");
    }

    @Test
    void knownArchitectureUnderAnotherModelType() throws IOException {
        Path dir = copyFixture();
        Files.writeString(dir.resolve("config.json"), """
                {"architectures": ["XLMRobertaForSequenceClassification"], "model_type": "bert",
                 "hidden_size": 768, "num_attention_heads": 12}""");
        assertThatThrownBy(() -> load(dir)).hasMessageStartingWith(dir.resolve("config.json")
                + ": unsupported architecture 'XLMRobertaForSequenceClassification' (model_type 'bert'); supported: ");
    }

    @Test
    void unsupportedFeedForward() throws IOException {
        Path dir = copyFixture();
        String cfg = Files.readString(dir.resolve("config.json")).replace("\"geglu\"", "\"swiglu\"");
        Files.writeString(dir.resolve("config.json"), cfg);
        assertThatThrownBy(() -> load(dir)).hasMessage(dir.resolve("config.json")
                + ": unsupported feed_forward_type 'swiglu'; supported: original, geglu, reglu");
    }

    @Test
    void f32CheckpointLoadsToTheSameLogitsAsF16() throws IOException {
        Path dir = copyFixture();
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsSource src = SafetensorsSource.open(Golden.JINABERT_MINI)) {
            for (String name : src.names()) {
                w.put(name, Entry.f32(src.get(name).shape(), src.get(name).toFloats()));
            }
        }
        w.write(dir.resolve("model.safetensors"));
        Golden.Pair p = Golden.pairs().get(0);
        Batch b = Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()});
        try (var pool = new dev.rerank4j.kernels.ComputePool(1)) {
            float f32 = load(dir).logits(b, pool)[0];
            float f16 = load(Golden.JINABERT_MINI).logits(b, pool)[0];
            assertThat(f32).isEqualTo(f16);
            assertThat((double) f32).isCloseTo(p.expected(), org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void shardedCheckpointLoadsToTheSameLogits() throws IOException {
        Path dir = copyFixture();
        Files.delete(dir.resolve("model.safetensors"));
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        var index = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        var map = index.putObject("weight_map");
        try (SafetensorsSource src = SafetensorsSource.open(Golden.JINABERT_MINI)) {
            int i = 0;
            for (String name : src.names()) {
                boolean one = i++ % 2 == 0;
                (one ? first : second).put(name, Entry.f32(src.get(name).shape(), src.get(name).toFloats()));
                map.put(name, one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
            }
        }
        first.write(dir.resolve("model-00001-of-00002.safetensors"));
        second.write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
        Golden.Pair p = Golden.pairs().get(1);
        try (var pool = new dev.rerank4j.kernels.ComputePool(1)) {
            float logit = load(dir).logits(Batch.of(new int[][] {p.inputIds()}, new int[][] {p.typeIds()}),
                    pool)[0];
            assertThat((double) logit).isCloseTo(p.expected(), org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void bf16TensorsWidenExactly() throws IOException {
        Path f = tmp.resolve("bf16.safetensors");
        // bf16 is the top half of an IEEE float: 1.5f = 0x3FC00000, -2.25f = 0xC0100000
        new SafetensorsWriter().put("w", new Entry("BF16", new int[] {2}, new byte[] {(byte) 0xC0, 0x3F, 0x10,
                (byte) 0xC0})).write(f);
        try (SafetensorsSource src = SafetensorsSource.openFile(f)) {
            assertThat(src.get("w").toFloats()).containsExactly(1.5f, -2.25f);
        }
    }
}

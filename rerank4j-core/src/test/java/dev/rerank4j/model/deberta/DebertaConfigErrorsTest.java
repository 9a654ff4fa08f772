package dev.rerank4j.model.deberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.model.Families;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings the DeBERTa family does not implement are refused by name, with what is supported. */
class DebertaConfigErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The fixture's config.json, changed, in {@code dir}; the weights are linked, not copied. */
    private Path config(Consumer<ObjectNode> change) throws IOException {
        ObjectNode c = (ObjectNode) JSON.readTree(Golden.DEBERTA_V3_MINI.resolve("config.json").toFile());
        change.accept(c);
        Files.writeString(dir.resolve("config.json"), c.toString());
        Path weights = dir.resolve("model.safetensors");
        if (!Files.exists(weights)) {
            Files.createSymbolicLink(weights, Golden.DEBERTA_V3_MINI.resolve("model.safetensors").toAbsolutePath());
        }
        return dir.resolve("config.json");
    }

    private void refused(Consumer<ObjectNode> change, String message) throws IOException {
        Path file = config(change);
        assertThatThrownBy(() -> Families.spec(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(file + ": " + message);
    }

    @Test
    void onlyOneDisentangledTerm() throws IOException {
        refused(c -> c.putArray("pos_att_type").add("c2p"), "pos_att_type [c2p] is not supported; supported: "
                + "[p2c, c2p] (both content-to-position and position-to-content terms)");
        refused(c -> c.put("pos_att_type", "p2c|c2p|p2p"), "pos_att_type [p2c, c2p, p2p] is not supported; "
                + "supported: [p2c, c2p] (both content-to-position and position-to-content terms)");
    }

    @Test
    void absolutePositionsOrNoRelativeAttention() throws IOException {
        refused(c -> c.put("position_biased_input", true), "position_biased_input true: absolute position "
                + "embeddings added to the input are not supported; supported: position_biased_input false");
        refused(c -> c.remove("position_biased_input"), "position_biased_input true (the default): absolute "
                + "position embeddings added to the input are not supported; supported: position_biased_input false");
        refused(c -> c.remove("relative_attention"), "relative_attention false (the default): models without "
                + "relative attention (DeBERTa-v1 style absolute positions) are not supported; supported: "
                + "relative_attention true");
        refused(c -> c.put("relative_attention", "yes"), "field 'relative_attention' must be true or false, found \"yes\"");
    }

    @Test
    void separatePositionProjectionsOrAnotherRelativeNorm() throws IOException {
        refused(c -> c.put("share_att_key", false), "share_att_key false: separate position projections "
                + "(pos_key_proj, pos_query_proj) are not supported; supported: share_att_key true");
        refused(c -> c.put("norm_rel_ebd", "none"), "norm_rel_ebd none is not supported; supported: layer_norm");
    }

    @Test
    void tokenTypesConvolutionAndOtherShapes() throws IOException {
        refused(c -> c.put("type_vocab_size", 2), "type_vocab_size 2 is not supported; supported: 0 "
                + "(no token-type embeddings)");
        refused(c -> c.put("conv_kernel_size", 3), "conv_kernel_size 3 is not supported; supported: 0 "
                + "(no convolution layer)");
        refused(c -> c.put("embedding_size", 128), "embedding_size 128 is not supported; supported: hidden_size "
                + "(72, no embedding projection)");
        refused(c -> c.put("attention_head_size", 16), "attention_head_size 16 is not supported; supported: "
                + "hidden_size / num_attention_heads = 12");
        refused(c -> c.put("num_attention_heads", 5), "hidden_size 72 is not a multiple of num_attention_heads 5");
        refused(c -> c.put("hidden_act", "swish"), "hidden_act: unsupported hidden_act 'swish'; supported: gelu, "
                + "gelu_new, gelu_pytorch_tanh, gelu_fast, relu, tanh");
    }

    @Test
    void aRelativeTableOfAnotherSizeIsNamed() throws IOException {
        config(c -> c.put("position_buckets", 128));
        assertThatThrownBy(() -> Model.load(dir, new ScalarKernels())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor 'deberta.encoder.rel_embeddings.weight' has shape [512, 72], "
                        + "expected [256, 72]");
    }

    @Test
    void theUnsupportedArchitectureMessageListsDeberta() throws IOException {
        config(c -> c.putArray("architectures").add("DebertaV2ForMaskedLM"));
        assertThatThrownBy(() -> Families.spec(dir)).hasMessageContaining(
                "DebertaV2ForSequenceClassification, DebertaV2Model (model_type 'deberta-v2')");
    }

    @Test
    void theFixtureConfigReadsAsMxbaiRerankV1Does() throws IOException {
        config(c -> { });
        DebertaConfig cfg = (DebertaConfig) Families.spec(dir);
        assertThat(cfg.attentionSpan()).isEqualTo(256);
        assertThat(cfg.maxRelativePositions()).isEqualTo(512);
        assertThat(cfg.headDim()).isEqualTo(12);
        assertThat(cfg.layerNormEps()).isEqualTo(1e-7f);
        assertThat(cfg.numLabels()).isEqualTo(1);
        assertThat(cfg.maxPositions()).isEqualTo(512);
    }
}

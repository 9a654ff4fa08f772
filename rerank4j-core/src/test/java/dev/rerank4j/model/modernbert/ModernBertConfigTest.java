package dev.rerank4j.model.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rerank4j.ModelFormatException;
import dev.rerank4j.kernels.ScalarKernels;
import dev.rerank4j.model.Families;
import dev.rerank4j.model.Model;
import dev.rerank4j.testing.ModernBertFixtures;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings the forward pass does not implement are refused by name, before any weight is read. */
class ModernBertConfigTest {
    @TempDir
    Path tmp;

    private Path withConfig(Consumer<ObjectNode> edit) {
        return ModernBertFixtures.crossEncoderWithConfig(tmp.resolve("m"), edit);
    }

    @Test
    void everySettingIsRead() {
        ModernBertConfig c = (ModernBertConfig) Families.spec(withConfig(n -> n.put("classifier_pooling", "cls")
                .put("global_attn_every_n_layers", 2).put("local_attention", 64).put("local_rope_theta", 500.0)));
        assertThat(c.architecture().name()).isEqualTo("MODERNBERT_CROSS_ENCODER");
        assertThat(c.classifierPooling()).isEqualTo(ModernBertConfig.HeadPooling.CLS);
        assertThat(c.isGlobal(2)).isTrue();
        assertThat(c.isGlobal(3)).isFalse();
        assertThat(c.localRadius()).isEqualTo(32);
        assertThat(c.localRopeTheta()).isEqualTo(500.0);
        assertThat(c.globalRopeTheta()).isEqualTo(160000.0);
        assertThat(c.maxPositions()).isEqualTo(8192);
        assertThat(c.numLabels()).isEqualTo(1);
        assertThat(c.normEps()).isEqualTo(1e-5f);
        assertThat(c.attentionBias() || c.mlpBias() || c.normBias() || c.classifierBias()).isFalse();
    }

    @Test
    void unsupportedSettingsAreNamed() {
        assertThatThrownBy(() -> Families.spec(withConfig(n -> n.put("classifier_pooling", "max"))))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("config.json").hasMessageContaining("classifier_pooling 'max'");
    }

    @Test
    void ropeScalingIsRefused() {
        assertThatThrownBy(() -> Families.spec(withConfig(n -> n.putObject("rope_scaling").put("type", "linear"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("'rope_scaling' is not supported");
    }

    @Test
    void anOddHeadSizeIsRefused() {
        assertThatThrownBy(() -> Families.spec(withConfig(n -> n.put("num_attention_heads", 8))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("even head size");
    }

    @Test
    void anUnknownActivationIsRefused() {
        assertThatThrownBy(() -> Families.spec(withConfig(n -> n.put("hidden_activation", "swish"))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("hidden_activation")
                .hasMessageContaining("'swish'");
    }

    @Test
    void biasesTheConfigPromisesMustBeInTheWeights() {
        Path dir = withConfig(n -> n.put("attention_bias", true));
        assertThatThrownBy(() -> Model.load(dir, new ScalarKernels())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'model.layers.0.attn.Wqkv.bias' is missing");
    }
}

package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without {@code --add-modules jdk.incubator.vector} the scalar kernels take over and give the same logits. */
class ScalarFallbackTest {

    @Test
    void aJvmWithoutTheVectorModuleUsesScalarKernels() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(List.of(java, "-cp", classpath, Main.class.getName(), "score",
                "--model", CliRun.MODEL, "--input", "-"))
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().write(("{\"query\": \"What is Deep Learning?\", \"document\": \"Deep learning is a subset "
                + "of machine learning based on artificial neural networks with representation learning.\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).contains("rerank4j kernels: scalar (jdk.incubator.vector absent");
        assertThat(new ObjectMapper().readTree(out).get("logit").asDouble()).isCloseTo(0.9372147709899318,
                within(1e-4));
    }
}

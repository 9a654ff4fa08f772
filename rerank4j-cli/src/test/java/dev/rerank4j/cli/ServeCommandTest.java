package dev.rerank4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerank4j.api.LongDocuments;
import dev.rerank4j.server.ModelSource;
import dev.rerank4j.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The serve command's options become the server's configuration (serving itself is tested in the server). */
class ServeCommandTest {

    static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreTheServersDefaults() {
        ServerConfig config = parse("--model", "m").config(null);
        assertThat(config).isEqualTo(ServerConfig.defaults());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.requiresApiKey()).isFalse();
    }

    @Test
    void everyOptionReachesTheConfig() {
        ServerConfig config = parse("--model", "m", "--host", "0.0.0.0", "--port", "9000", "--api-key", "k1",
                "--served-model-name", "jina-reranker-v1-tiny-en", "--served-model-name", "tiny",
                "--accept-any-model-name",
                "--max-length", "512", "--long-documents", "CHUNK", "--max-documents", "50",
                "--max-body-bytes", "1000", "--max-queued-requests", "3", "--max-queued-tokens", "4000",
                "--batch-tokens", "999",
                "--batch-wait-ms", "7", "--http-threads", "9", "--max-connections", "11", "--drain-timeout", "5",
                "--reject-delay-ms", "13", "--no-ui", "--instruction", "Judge scientific claims")
                .config("from-env");
        assertThat(config).isEqualTo(new ServerConfig("0.0.0.0", 9000, "k1", 512, LongDocuments.CHUNK, 1000, 50, 3,
                4000, 999, Duration.ofMillis(7), 9, 11, Duration.ofSeconds(5), Duration.ofMillis(13),
                true, false, "Judge scientific claims"));
    }

    @Test
    void eachModelTakesTheNamesThatFollowIt() {
        ServeCommand command = parse("--model", "a", "--served-model-name", "x", "--served-model-name", "y",
                "--model", "b", "--model", "c", "--served-model-name", "z", "--threads", "3");
        List<ModelSource> sources = command.sources();
        assertThat(sources).extracting(ModelSource::label).containsExactly("a", "b", "c");
        assertThat(sources).extracting(ModelSource::aliases)
                .containsExactly(List.of("x", "y"), List.of(), List.of("z"));
        assertThat(parse().sources()).extracting(ModelSource::label).containsExactly("the default model");
        assertThat(parse("--served-model-name", "x").sources()).singleElement()
                .satisfies(s -> assertThat(s.aliases()).containsExactly("x"));
    }

    @Test
    void theEnvironmentSuppliesTheKeyWhenTheOptionIsAbsent() {
        assertThat(parse("--model", "m").config("from-env").apiKey()).isEqualTo("from-env");
        assertThat(parse("--model", "m").config("").requiresApiKey()).isFalse();
    }
}

package dev.rerank4j.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {
    @TempDir
    Path home;

    @Test
    void defaultsMatchHuggingFaceHub() {
        HubConfig config = HubConfig.fromEnvironment(Map.of(), home);

        assertThat(config.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(config.hubCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(config.appCache()).isEqualTo(home.resolve(".cache/rerank4j"));
        assertThat(config.token()).isEmpty();
        assertThat(config.offline()).isFalse();
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void cacheLocationFollowsTheSamePrecedenceAsPython() {
        assertThat(HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), home).hubCache())
                .isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "~/hf"), home).hubCache())
                .isEqualTo(home.resolve("hf/hub"));
        assertThat(HubConfig.fromEnvironment(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy"), home)
                .hubCache()).isEqualTo(Path.of("/legacy"));
        assertThat(HubConfig.fromEnvironment(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy",
                "HF_HUB_CACHE", "/new"), home).hubCache()).isEqualTo(Path.of("/new"));
        assertThat(HubConfig.fromEnvironment(Map.of("RERANK4J_CACHE", "/r"), home).appCache())
                .isEqualTo(Path.of("/r"));
    }

    @Test
    void endpointOfflineAndTimeoutsComeFromTheEnvironment() {
        HubConfig config = HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.example/",
                "HF_HUB_OFFLINE", "yes", "HF_HUB_DOWNLOAD_TIMEOUT", "2.5"), home);

        assertThat(config.endpoint()).isEqualTo(URI.create("https://hf-mirror.example"));
        assertThat(config.offline()).isTrue();
        assertThat(config.readTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(HubConfig.fromEnvironment(Map.of("TRANSFORMERS_OFFLINE", "1"), home).offline()).isTrue();
        assertThat(HubConfig.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), home).offline()).isFalse();
        assertThatThrownBy(() -> HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "huggingface.co"), home))
                .hasMessage("HF_ENDPOINT must be an http(s) URL such as https://huggingface.co, got 'huggingface.co'");
        assertThatThrownBy(() -> HubConfig.fromEnvironment(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon"), home))
                .hasMessageContaining("HF_HUB_DOWNLOAD_TIMEOUT must be a number of seconds, got 'soon'");
    }

    @Test
    void proxyFollowsTheCurlConventions() {
        assertThat(HubConfig.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.corp:3128"), home).proxy())
                .hasValue(InetSocketAddress.createUnresolved("proxy.corp", 3128));
        assertThat(HubConfig.fromEnvironment(Map.of("https_proxy", "proxy.corp"), home).proxy())
                .hasValue(InetSocketAddress.createUnresolved("proxy.corp", 80));
        assertThat(HubConfig.fromEnvironment(Map.of("HTTP_PROXY", "proxy.corp:1"), home).proxy()).isEmpty();
        assertThat(HubConfig.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.corp:1", "NO_PROXY", "huggingface.co"), home)
                .proxy()).isEmpty();
        assertThat(HubConfig.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.corp:1", "no_proxy", "*"), home).proxy())
                .isEmpty();
        assertThat(HubConfig.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.corp:1", "NO_PROXY", "face.co"), home)
                .proxy()).isPresent();
    }

    @Test
    void tokenComesFromHfTokenElseFromTheSavedLogin() throws IOException {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_saved\n");

        assertThat(HubConfig.fromEnvironment(Map.of(), home).token()).isEqualTo(Optional.of("hf_saved"));
        assertThat(HubConfig.fromEnvironment(Map.of("HF_TOKEN", " hf_env "), home).token())
                .isEqualTo(Optional.of("hf_env"));
        Path elsewhere = Files.writeString(home.resolve("my-token"), "hf_path");
        assertThat(HubConfig.fromEnvironment(Map.of("HF_TOKEN_PATH", elsewhere.toString()), home).token())
                .isEqualTo(Optional.of("hf_path"));
    }
}

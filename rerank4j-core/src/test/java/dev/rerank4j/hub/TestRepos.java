package dev.rerank4j.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Small fake model repos and the configuration that points at a fake Hub (public for other modules). */
public final class TestRepos {
    static final String MAIN = "1111111111111111111111111111111111111111";
    static final String V1 = "2222222222222222222222222222222222222222";
    /** Big enough to need several reads and show progress, small enough to keep tests fast. */
    static final byte[] WEIGHTS = random(4 * 1024 * 1024 + 123, 42);

    private TestRepos() {
    }

    /** A complete model repo at one commit; {@code version} makes config.json differ between commits. */
    static Map<String, byte[]> modelFiles(int version) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"));
        files.put("README.md", text("# a fake model\n"));
        files.put("config.json", text("{\"model_type\": \"bert\", \"version\": " + version + "}"));
        files.put("tokenizer.json", text("{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\"}}"));
        files.put("tokenizer_config.json", text("{\"do_lower_case\": true}"));
        files.put("special_tokens_map.json", text("{\"cls_token\": \"[CLS]\"}"));
        files.put("model.safetensors", WEIGHTS);
        files.put("pytorch_model.bin", random(2048, 7));
        return files;
    }

    /** A repo with main and an older commit tagged v1, both holding the same weights. */
    static FakeHub.FakeRepo tinyModel(FakeHub hub, String id) {
        return hub.repo(id).commit(V1, "v1", modelFiles(1)).commit(MAIN, "main", modelFiles(2));
    }

    public static HubConfig config(FakeHub hub, Path home) {
        return new HubConfig(hub.endpoint(), Optional.empty(), home.resolve("hf/hub"), home.resolve("rerank4j"),
                false, Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(10), Optional.empty());
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

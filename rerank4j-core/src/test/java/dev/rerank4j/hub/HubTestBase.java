package dev.rerank4j.hub;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh fake Hub on loopback and an empty cache home for every test; subclasses publish their repositories. */
abstract class HubTestBase {
    @TempDir
    Path home;
    FakeHub hub;
    HubConfig config;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        config = TestRepos.config(hub, home);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }
}

package dev.rerank4j.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A second process for {@link ConcurrentDownloadTest}: resolves one model into a cache and prints its folder. */
public final class DownloadMain {
    private DownloadMain() {
    }

    /** Arguments: endpoint, Hub cache folder, model spec. */
    public static void main(String[] args) {
        HubConfig config = new HubConfig(URI.create(args[0]), Optional.empty(), Path.of(args[1]),
                Path.of(args[1]).resolveSibling("rerank4j"), false, Duration.ofSeconds(5), Duration.ofSeconds(5), 3,
                Duration.ofMillis(10), Optional.empty());
        ResolvedModel model = new ModelResolver(config, ProgressListener.NONE).resolve(args[2]);
        System.out.println(model.directory());
    }
}

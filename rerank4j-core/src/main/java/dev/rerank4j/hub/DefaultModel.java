package dev.rerank4j.hub;

import java.time.Duration;
import java.util.Optional;

/**
 * The model used when none is named: the reranker {@value #PREFERRED} if it is cached or can be downloaded, else
 * the bundled bi-encoder all-MiniLM-L6-v2, so a first run without network still works. The choice comes with one
 * line saying which model and why, for stderr. A model named explicitly never comes here and never falls back.
 */
public final class DefaultModel {
    public static final String PREFERRED = "jinaai/jina-reranker-v1-tiny-en";
    /** A machine whose firewall swallows connections should reach the fallback in seconds, not tens of them. */
    private static final Duration PROBE_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final HubConfig config;
    private final ProgressListener progress;

    public DefaultModel(HubConfig config, ProgressListener progress) {
        this.config = config;
        this.progress = progress;
    }

    /** The model chosen and the reason, a single line. */
    public record Choice(ResolvedModel model, String reason) {
    }

    public Choice choose() {
        RepoRef preferred = RepoRef.parse(PREFERRED);
        Duration connect = config.connectTimeout().compareTo(PROBE_CONNECT_TIMEOUT) < 0
                ? config.connectTimeout() : PROBE_CONNECT_TIMEOUT;
        ModelResolver resolver = new ModelResolver(config.withConnectTimeout(connect), progress);
        Optional<ResolvedModel> cached = resolver.cached(preferred);
        if (cached.isPresent()) {
            return new Choice(cached.get(), "model: " + PREFERRED + " (default reranker, from the cache "
                    + config.hubCache() + ")");
        }
        String why;
        if (config.offline()) {
            why = "is not cached and HF_HUB_OFFLINE is set";
        } else {
            try {
                // One quick try to reach the Hub: a machine without network should not wait through retries.
                ResolvedModel downloaded = resolver.download(preferred, 1);
                return new Choice(downloaded, "model: " + PREFERRED + " (default reranker, downloaded into "
                        + config.hubCache() + ")");
            } catch (HubException e) {
                why = "is not cached and could not be downloaded (" + e.getMessage().replace('\n', ' ') + ")";
            }
        }
        ResolvedModel bundled = new BundledMiniLm(config.appCache()).resolve();
        return new Choice(bundled, "model: all-MiniLM-L6-v2 (bundled bi-encoder, ranks by cosine similarity), because"
                + " the default reranker " + PREFERRED + " " + why + "; run `rerank4j download " + PREFERRED
                + "` once online to get it");
    }
}

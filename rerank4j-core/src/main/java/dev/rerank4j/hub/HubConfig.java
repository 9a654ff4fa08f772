package dev.rerank4j.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Hub is, who we are to it, and where its files live on disk.
 *
 * <p>Built once from the environment at the program's edge ({@link #fromSystem()}) with the same variables and
 * defaults as Python's huggingface_hub, so both tools share one cache and one token. Tests build it directly.
 *
 * @param endpoint       Hub base URL, without trailing slash (HF_ENDPOINT)
 * @param token          access token for private and gated repos (HF_TOKEN, else the token file written by
 *                       {@code hf auth login})
 * @param hubCache       the huggingface_hub cache root holding {@code models--org--name} folders
 * @param appCache       rerank4j's own cache (the extracted bundled model)
 * @param offline        HF_HUB_OFFLINE: never touch the network, use only the cache
 * @param connectTimeout TCP connect timeout
 * @param readTimeout    how long a request may wait for headers, and a transfer may go without receiving a byte
 * @param maxAttempts    tries per request before giving up on transient failures (5xx, 429, I/O errors)
 * @param initialBackoff wait before the first retry; doubles each retry
 * @param proxy          the HTTP proxy for the endpoint, from HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts
 *                       the endpoint's host; without one, the JVM's proxy settings apply
 */
public record HubConfig(
        URI endpoint,
        Optional<String> token,
        Path hubCache,
        Path appCache,
        boolean offline,
        Duration connectTimeout,
        Duration readTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Optional<InetSocketAddress> proxy) {

    public static final String PUBLIC_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public HubConfig {
        boolean web = "https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme());
        if (!web || endpoint.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL such as " + PUBLIC_ENDPOINT
                    + ", got '" + endpoint + "'");
        }
        String url = endpoint.toString();
        if (url.endsWith("/")) {
            endpoint = URI.create(url.substring(0, url.length() - 1));
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        token = token.filter(t -> !t.isBlank()).map(String::strip);
    }

    /** The configuration the process environment describes. */
    public static HubConfig fromSystem() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The configuration an environment describes, following huggingface_hub's precedence: HF_HUB_CACHE, then the
     * legacy HUGGINGFACE_HUB_CACHE, then HF_HOME/hub, then $XDG_CACHE_HOME/huggingface/hub, then
     * ~/.cache/huggingface/hub.
     */
    public static HubConfig fromEnvironment(Map<String, String> env, Path home) {
        Path xdgCache = pathVar(env, "XDG_CACHE_HOME", home).orElse(home.resolve(".cache"));
        Path hfHome = pathVar(env, "HF_HOME", home).orElse(xdgCache.resolve("huggingface"));
        Path hubCache = pathVar(env, "HF_HUB_CACHE", home)
                .or(() -> pathVar(env, "HUGGINGFACE_HUB_CACHE", home))
                .orElse(hfHome.resolve("hub"));
        Path appCache = pathVar(env, "RERANK4J_CACHE", home).orElse(xdgCache.resolve("rerank4j"));
        URI endpoint = URI.create(var(env, "HF_ENDPOINT").orElse(PUBLIC_ENDPOINT));
        Path tokenFile = pathVar(env, "HF_TOKEN_PATH", home).orElse(hfHome.resolve("token"));
        Optional<String> token = var(env, "HF_TOKEN")
                .or(() -> var(env, "HUGGING_FACE_HUB_TOKEN"))
                .or(() -> readTokenFile(tokenFile));
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        Duration readTimeout = var(env, "HF_HUB_DOWNLOAD_TIMEOUT")
                .map(s -> seconds("HF_HUB_DOWNLOAD_TIMEOUT", s))
                .orElse(DEFAULT_TIMEOUT);
        Duration connectTimeout = var(env, "HF_HUB_ETAG_TIMEOUT")
                .map(s -> seconds("HF_HUB_ETAG_TIMEOUT", s))
                .orElse(DEFAULT_TIMEOUT);
        return new HubConfig(endpoint, token, hubCache, appCache, offline, connectTimeout, readTimeout, 5,
                Duration.ofMillis(500), proxyFor(env, endpoint));
    }

    public HubConfig withEndpoint(URI newEndpoint) {
        return new HubConfig(newEndpoint, token, hubCache, appCache, offline, connectTimeout, readTimeout,
                maxAttempts, initialBackoff, proxy);
    }

    public HubConfig withToken(String newToken) {
        return new HubConfig(endpoint, Optional.ofNullable(newToken), hubCache, appCache, offline, connectTimeout,
                readTimeout, maxAttempts, initialBackoff, proxy);
    }

    public HubConfig withOffline(boolean newOffline) {
        return new HubConfig(endpoint, token, hubCache, appCache, newOffline, connectTimeout, readTimeout,
                maxAttempts, initialBackoff, proxy);
    }

    public HubConfig withRetries(int newMaxAttempts, Duration newInitialBackoff) {
        return new HubConfig(endpoint, token, hubCache, appCache, offline, connectTimeout, readTimeout,
                newMaxAttempts, newInitialBackoff, proxy);
    }

    public HubConfig withCaches(Path newHubCache, Path newAppCache) {
        return new HubConfig(endpoint, token, newHubCache, newAppCache, offline, connectTimeout, readTimeout,
                maxAttempts, initialBackoff, proxy);
    }

    public HubConfig withProxy(InetSocketAddress newProxy) {
        return new HubConfig(endpoint, token, hubCache, appCache, offline, connectTimeout, readTimeout,
                maxAttempts, initialBackoff, Optional.ofNullable(newProxy));
    }

    public HubConfig withConnectTimeout(Duration newConnectTimeout) {
        return new HubConfig(endpoint, token, hubCache, appCache, offline, newConnectTimeout, readTimeout,
                maxAttempts, initialBackoff, proxy);
    }

    public HubConfig withReadTimeout(Duration newReadTimeout) {
        return new HubConfig(endpoint, token, hubCache, appCache, offline, connectTimeout, newReadTimeout,
                maxAttempts, initialBackoff, proxy);
    }

    private static Optional<String> var(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Paths as Python's os.path.expanduser would read them: a leading ~ is the home directory. */
    private static Optional<Path> pathVar(Map<String, String> env, String name, Path home) {
        return var(env, name).map(s -> {
            if (s.equals("~")) {
                return home;
            }
            if (s.startsWith("~/")) {
                return home.resolve(s.substring(2));
            }
            return Path.of(s);
        });
    }

    /**
     * The proxy curl and Python would use for {@code endpoint}: HTTPS_PROXY (or HTTP_PROXY for an http endpoint),
     * upper or lower case, unless NO_PROXY lists the host, a domain suffix of it, or {@code *}.
     */
    private static Optional<InetSocketAddress> proxyFor(Map<String, String> env, URI endpoint) {
        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
            return Optional.empty(); // not a URL: the constructor says so
        }
        String scheme = endpoint.getScheme().toUpperCase(Locale.ROOT);
        Optional<String> proxy = var(env, scheme + "_PROXY")
                .or(() -> var(env, scheme.toLowerCase(Locale.ROOT) + "_proxy"));
        if (proxy.isEmpty()) {
            return Optional.empty();
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        String noProxy = var(env, "NO_PROXY").or(() -> var(env, "no_proxy")).orElse("");
        for (String entry : noProxy.split(",")) {
            String suffix = entry.strip().toLowerCase(Locale.ROOT).replaceFirst("^\\*?\\.", "");
            if (suffix.equals("*") || (!suffix.isEmpty() && (host.equals(suffix) || host.endsWith("." + suffix)))) {
                return Optional.empty();
            }
        }
        String value = proxy.get().contains("://") ? proxy.get() : "http://" + proxy.get();
        URI uri = URI.create(value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(scheme + "_PROXY must look like http://host:port, got '"
                    + proxy.get() + "'");
        }
        return Optional.of(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()));
    }

    private static boolean isTrue(String value) {
        return value != null && TRUE_VALUES.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    private static Duration seconds(String name, String value) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds, got '" + value + "'", e);
        }
    }

    private static Optional<String> readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hugging Face token file " + file, e);
        }
    }
}

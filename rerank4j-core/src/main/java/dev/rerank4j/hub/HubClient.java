package dev.rerank4j.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three Hub requests rerank4j makes, over java.net.http:
 *
 * <ul>
 *   <li>{@code GET {endpoint}/api/models/{org}/{name}/revision/{revision}} (or {@code api/datasets/...}): the
 *       commit and the file list;</li>
 *   <li>{@code HEAD {endpoint}/{org}/{name}/resolve/{commit}/{file}} (datasets: {@code /datasets/{org}/...}): a
 *       file's ETag, size and download location,
 *       following only same-host redirects (renamed repos) and stopping at the redirect to the CDN;</li>
 *   <li>{@code GET {location}} with {@code Range} to resume, watched for stalls.</li>
 * </ul>
 *
 * Transient failures (I/O errors, 429, 5xx, stalls) are retried with exponential backoff.
 */
final class HubClient implements AutoCloseable {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    /** ETags name cache files, so they must be plain names. */
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final String USER_AGENT = "rerank4j (java.net.http; Java " + Runtime.version().feature() + ")";

    private final HubConfig config;
    private final HttpClient http;

    HubClient(HubConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // Without HTTPS_PROXY, the JVM's own settings (-Dhttps.proxyHost, -Djava.net.useSystemProxies) apply.
                .proxy(config.proxy().map(ProxySelector::of).orElse(ProxySelector.getDefault()))
                // Plain-http endpoints (mirrors, tests) would otherwise be offered an h2c upgrade on every request.
                .version("http".equals(config.endpoint().getScheme()) ? HttpClient.Version.HTTP_1_1
                        : HttpClient.Version.HTTP_2)
                .build();
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Resolves {@code repo}'s revision to a commit and lists the repo's files at that commit, trying at most
     * {@code attempts} times (one, to learn quickly whether the Hub is reachable at all).
     */
    RepoRevision revision(RepoRef repo, int attempts) {
        URI url = URI.create(config.endpoint() + "/api/" + repo.type().plural() + "/" + repo.repoId() + "/revision/"
                + encode(repo.revision(), false));
        return withRetries("the file list of " + repo, attempts, () -> {
            // Followed redirects cover renamed repos, whose old id the API redirects to the new one.
            HttpResponse<byte[]> response = sendFollowingRedirects(request(url, "GET").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw failure(response, repo, null);
            }
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(response.body());
            } catch (JsonProcessingException e) {
                throw new HubException(HubException.Kind.UNSUPPORTED, url + " answered with invalid JSON: "
                        + e.getOriginalMessage(), e);
            }
            String commit = json.path("sha").asText("");
            if (!RepoRef.isCommitHash(commit)) {
                throw new HubException(HubException.Kind.UNSUPPORTED,
                        url + " answered without a commit \"sha\": is " + config.endpoint() + " a Hugging Face Hub?");
            }
            List<String> files = new ArrayList<>();
            json.path("siblings").forEach(s -> files.add(s.path("rfilename").asText()));
            return new RepoRevision(commit, List.copyOf(files));
        });
    }

    /** The metadata of {@code file} at {@code commit}, from a HEAD on its resolve URL. */
    FileMetadata metadata(RepoRef repo, String commit, String file) {
        URI url = URI.create(config.endpoint() + "/" + repo.type().urlPrefix() + repo.repoId() + "/resolve/"
                + encode(commit, false) + "/" + encode(file, true));
        return withRetries(file + " of " + repo, config.maxAttempts(), () -> {
            URI current = url;
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest head = request(current, "HEAD").header("Accept-Encoding", "identity").build();
                HttpResponse<Void> response = send(head, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    URI from = current;
                    URI target = URI.create(response.headers().firstValue("Location").orElseThrow(() ->
                            new HubException(HubException.Kind.UNSUPPORTED, from + " redirected without a Location")));
                    if (!target.isAbsolute()) {
                        current = current.resolve(target);
                        continue;
                    }
                    return metadataFrom(response, target, current);
                }
                if (status == 200) {
                    return metadataFrom(response, current, current);
                }
                throw failure(response, repo, file);
            }
            throw new HubException(HubException.Kind.UNSUPPORTED, "more than " + MAX_REDIRECTS + " redirects from "
                    + url);
        });
    }

    /**
     * Downloads a file into {@code incomplete}, appending to what an earlier attempt left there, and verifies it
     * against {@code meta}. On return the file is complete and verified; on failure a corrupt file is deleted and a
     * merely interrupted one kept for the next attempt to resume.
     */
    void download(RepoRef repo, String file, FileMetadata meta, Path incomplete, ProgressListener listener) {
        String label = repo.repoId() + "/" + file;
        boolean resumed = Files.exists(incomplete) && sizeOf(incomplete) > 0;
        try {
            fetch(repo, file, meta, incomplete, listener);
            Integrity.verify(incomplete, meta.etag(), meta.size(), label);
        } catch (HubException e) {
            if (e.kind() != HubException.Kind.INTEGRITY) {
                throw e;
            }
            deleteQuietly(incomplete);
            if (!resumed) {
                throw e;
            }
            // The bytes kept from an earlier run may be what was wrong: start over once before blaming the Hub.
            fetch(repo, file, meta, incomplete, listener);
            verifyOrDiscard(incomplete, meta, label);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.NETWORK, label + ": cannot write " + incomplete + ": " + e, e);
        }
    }

    private void verifyOrDiscard(Path incomplete, FileMetadata meta, String label) {
        try {
            Integrity.verify(incomplete, meta.etag(), meta.size(), label);
        } catch (HubException e) {
            deleteQuietly(incomplete);
            throw e;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.NETWORK, label + ": cannot read " + incomplete + ": " + e, e);
        }
    }

    private void fetch(RepoRef repo, String file, FileMetadata meta, Path incomplete, ProgressListener listener) {
        String label = repo.repoId() + "/" + file;
        try {
            if (!Files.exists(incomplete)) {
                Files.write(incomplete, new byte[0]); // an empty file needs no transfer, but must exist
            }
        } catch (IOException e) {
            throw new HubException(HubException.Kind.NETWORK, label + ": cannot write " + incomplete + ": " + e, e);
        }
        // Attempts that move bytes do not count against the retry budget: a flaky but working link still finishes.
        int failures = 0;
        while (true) {
            long have = Files.exists(incomplete) ? sizeOf(incomplete) : 0;
            if (meta.size() >= 0 && have >= meta.size()) {
                return;
            }
            Throwable problem;
            try (ProgressListener.Transfer bar = listener.start(file, meta.size(), have)) {
                fetchOnce(repo, file, meta, incomplete, have, bar);
                if (meta.size() < 0 || sizeOf(incomplete) >= meta.size()) {
                    return;
                }
                problem = new IOException("the connection ended at byte " + sizeOf(incomplete) + " of " + meta.size());
            } catch (TransientException e) {
                problem = e.getCause();
            }
            failures = sizeOf(incomplete) > have ? 0 : failures + 1;
            if (failures >= config.maxAttempts()) {
                throw networkFailure(label, config.maxAttempts(), problem);
            }
            sleep(backoff(Math.max(failures, 1)));
        }
    }

    /** One GET appending to {@code incomplete}; throws {@link TransientException} when a retry could help. */
    private void fetchOnce(RepoRef repo, String file, FileMetadata meta, Path incomplete, long have,
                           ProgressListener.Transfer bar) throws TransientException {
        try {
            HttpRequest.Builder get = request(meta.location(), "GET").header("Accept-Encoding", "identity");
            if (have > 0) {
                get.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = sendFollowingRedirects(get.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status == 206) {
                    long start = rangeStart(response);
                    if (start != have) {
                        throw new HubException(HubException.Kind.UNSUPPORTED, meta.location()
                                + " answered the range from byte " + have + " with bytes from " + start);
                    }
                } else if (status == 200 || status == 416) {
                    // The server ignored our range (200) or found it past the end (416): start from zero.
                    Files.write(incomplete, new byte[0], StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    if (status == 416) {
                        throw new TransientException(new IOException("HTTP 416 for bytes " + have + "-"));
                    }
                    bar.advance(-have);
                } else if (status == 429 || status >= 500) {
                    throw new TransientException(new IOException("HTTP " + status + " from " + meta.location()));
                } else {
                    throw failure(response, repo, file);
                }
                copyWatched(body, incomplete, bar);
            }
        } catch (IOException e) {
            throw new TransientException(e);
        }
    }

    /**
     * Appends {@code body} to {@code file} on a helper thread while this thread watches the byte count: the HTTP
     * client has no timeout on body reads, and a connection that goes silent must not hang us forever.
     */
    private void copyWatched(InputStream body, Path file, ProgressListener.Transfer bar)
            throws IOException, TransientException {
        AtomicLong received = new AtomicLong();
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().name("rerank4j-download").start(() -> {
            // FileOutputStream, unlike FileChannel, survives the interrupt that ends a stalled read.
            try (OutputStream out = new FileOutputStream(file.toFile(), true)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    received.addAndGet(n);
                    bar.advance(n);
                }
            } catch (IOException e) {
                failure.set(e);
            }
        });
        long seen = 0;
        try {
            while (!reader.join(config.readTimeout())) {
                long now = received.get();
                if (now == seen) {
                    reader.interrupt();
                    body.close();
                    reader.join();
                    throw new TransientException(new IOException("no data received for "
                            + config.readTimeout().toMillis() + " ms"));
                }
                seen = now;
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "download interrupted", e);
        }
        if (failure.get() != null) {
            throw new TransientException(failure.get());
        }
    }

    /** Sends a GET, following redirects; our token goes along only while they stay on the Hub's origin. */
    private <T> HttpResponse<T> sendFollowingRedirects(HttpRequest first, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpRequest request = first;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<T> response = send(request, handler);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status < 300 || status >= 400 || location.isEmpty()) {
                return response;
            }
            if (response.body() instanceof InputStream body) {
                body.close();
            }
            HttpRequest.Builder next = request(request.uri().resolve(location.get()), "GET");
            first.headers().firstValue("Range").ifPresent(r -> next.header("Range", r));
            first.headers().firstValue("Accept-Encoding").ifPresent(e -> next.header("Accept-Encoding", e));
            request = next.build();
        }
        throw new HubException(HubException.Kind.UNSUPPORTED, "more than " + MAX_REDIRECTS + " redirects from "
                + first.uri());
    }

    /** A request with our user agent, and our token only when it goes to the Hub itself, never to a CDN. */
    private HttpRequest.Builder request(URI uri, String method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(config.readTimeout())
                .header("User-Agent", USER_AGENT);
        if (config.token().isPresent() && sameOrigin(uri, config.endpoint())) {
            builder.header("Authorization", "Bearer " + config.token().get());
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "interrupted while talking to " + request.uri(), e);
        }
    }

    private FileMetadata metadataFrom(HttpResponse<?> response, URI location, URI asked) {
        var headers = response.headers();
        String commit = headers.firstValue("X-Repo-Commit").orElseThrow(() -> new HubException(
                HubException.Kind.UNSUPPORTED, asked + " answered without an X-Repo-Commit header: is "
                        + config.endpoint() + " a Hugging Face Hub?"));
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HubClient::normalizeEtag)
                .filter(e -> SAFE_ETAG.matcher(e).matches())
                .orElseThrow(() -> new HubException(HubException.Kind.UNSUPPORTED,
                        asked + " answered without a usable ETag, so the download could not be checked"));
        long size = headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length"))
                .map(HubClient::parseSize).orElse(-1L);
        return new FileMetadata(commit, etag, size, location);
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** ETags come quoted and sometimes weak ({@code W/"abc"}); the cache names blobs by the bare value. */
    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static long rangeStart(HttpResponse<?> response) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches()) {
            throw new HubException(HubException.Kind.UNSUPPORTED, response.uri()
                    + " answered 206 with an unreadable Content-Range '" + range + "'");
        }
        return Long.parseLong(m.group(1));
    }

    /** Turns an error status into the message a user can act on. 429 and 5xx become retryable. */
    private RuntimeException failure(HttpResponse<?> response, RepoRef repo, String file) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return new TransientStatus(status, response.uri());
        }
        String code = response.headers().firstValue("X-Error-Code").orElse("");
        String serverMessage = response.headers().firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        String page = config.endpoint() + "/" + repo.type().urlPrefix() + repo.repoId();
        if (status == 407) {
            return new HubException(HubException.Kind.NETWORK, "the proxy " + config.proxy().map(String::valueOf)
                    .orElse("(JVM settings)") + " asks for credentials (HTTP 407); rerank4j sends none, so use a"
                    + " proxy that needs none, or download elsewhere and copy the cache");
        }
        if (code.equals("GatedRepo")) {
            return new HubException(HubException.Kind.ACCESS_DENIED, repo.repoId() + " is a gated "
                    + repo.type().word() + serverMessage + ": " + tokenAdvice(page));
        }
        if (status == 401 || status == 403) {
            return new HubException(HubException.Kind.ACCESS_DENIED, "cannot access " + repo.repoId() + " (HTTP "
                    + status + ")" + serverMessage + ": it does not exist, or it is private or gated; "
                    + tokenAdvice(page));
        }
        if (status == 404) {
            String what = switch (code) {
                case "RevisionNotFound" -> "revision '" + repo.revision() + "' not found in " + repo.repoId();
                case "EntryNotFound" -> "file '" + file + "' not found in " + repo;
                case "RepoNotFound" -> repo.type().word() + " " + repo.repoId() + " not found on "
                        + config.endpoint();
                default -> file == null
                        ? repo.type().word() + " " + repo + " not found on " + config.endpoint()
                        : "file '" + file + "' of " + repo + " not found (" + response.uri() + ")";
            };
            return new HubException(HubException.Kind.NOT_FOUND, what + serverMessage
                    + "; check the id and revision on " + page);
        }
        return new HubException(HubException.Kind.UNSUPPORTED, response.uri() + " answered HTTP " + status
                + serverMessage);
    }

    private String tokenAdvice(String page) {
        if (config.token().isPresent()) {
            return "the token in HF_TOKEN (or the saved login) was sent but has no access; open " + page
                    + " with that account and accept the model's terms, or use a token that can read it";
        }
        return "accept the model's terms at " + page + ", create a read token at " + config.endpoint()
                + "/settings/tokens and set it in the environment: export HF_TOKEN=hf_...";
    }

    private <T> T withRetries(String what, int attempts, IoCall<T> call) {
        Throwable last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                sleep(backoff(attempt - 1));
            }
            try {
                return call.run();
            } catch (IOException | TransientStatus e) {
                last = e;
            }
        }
        throw networkFailure(what, attempts, Objects.requireNonNull(last));
    }

    private HubException networkFailure(String what, int attempts, Throwable cause) {
        String tries = attempts == 1 ? "" : " after " + attempts + " attempts";
        return new HubException(HubException.Kind.NETWORK, "cannot fetch " + what + " from " + config.endpoint()
                + tries + ": " + describe(cause) + "; check the network and HF_ENDPOINT, or set HF_HUB_OFFLINE=1"
                + " to use only models already in the cache", cause);
    }

    /** The exception and its causes, e.g. "ConnectException (UnresolvedAddressException)": the JDK's often say
     *  nothing themselves. */
    private static String describe(Throwable t) {
        StringBuilder out = new StringBuilder();
        String previous = "";
        for (Throwable c = t; c != null && out.length() < 300; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage();
            String part = c.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
            if (!part.equals(previous)) {
                out.append(c == t ? part : " (" + part + ")");
            }
            previous = part;
        }
        return out.toString();
    }

    private Duration backoff(int retry) {
        long millis = config.initialBackoff().toMillis() << Math.min(retry - 1, 6);
        return Duration.ofMillis(Math.min(millis, 8_000));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "interrupted while waiting to retry", e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Left behind, it is overwritten or resumed-then-rechecked by the next attempt.
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    /** Percent-encodes for a URL path; with {@code keepSlashes} a file path keeps its folder separators. */
    static String encode(String s, boolean keepSlashes) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlashes && c == '/');
            if (plain) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    /** A 429 or 5xx answer: worth another try. */
    private static final class TransientStatus extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransientStatus(int status, URI uri) {
            super("HTTP " + status + " from " + uri);
        }
    }

    /** A failed transfer worth retrying. */
    private static final class TransientException extends Exception {
        private static final long serialVersionUID = 1L;

        TransientException(Throwable cause) {
            super(cause);
        }
    }
}

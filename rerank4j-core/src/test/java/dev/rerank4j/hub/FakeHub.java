package dev.rerank4j.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hugging Face Hub on loopback, speaking the protocol huggingface_hub relies on: the revision API, HEAD/GET on
 * {@code /resolve/} with X-Repo-Commit, ETag / X-Linked-Etag / X-Linked-Size, LFS files redirected to a CDN on a
 * second port (another origin, as in production), Range requests, X-Error-Code answers. Faults are injected per
 * blob: a slow transfer, a stall, a cut connection, corrupted bytes, 503s. Dataset repos are served under
 * {@code /api/datasets/} and {@code /datasets/}, as on the Hub. Public, for the other modules' tests.
 */
public final class FakeHub implements AutoCloseable {
    /** Files at least this big, and weights, are LFS files served from the CDN. */
    private static final int LFS_THRESHOLD = 1024;

    public record Request(String server, String method, String path, String range, String authorization) {
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, FakeRepo> repos = new ConcurrentHashMap<>();
    private final Map<String, FakeRepo> datasets = new ConcurrentHashMap<>();
    /** Old id to new id: the Hub answers a renamed repo's old URLs with a relative redirect to the new ones. */
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobsBySha256 = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger apiFailuresLeft = new AtomicInteger();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    /** The hub's address, for tests that use it as a forward proxy. */
    InetSocketAddress address() {
        return hub.getAddress();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    /** A model repo; add commits to it. */
    public FakeRepo repo(String id) {
        return repos.computeIfAbsent(id, FakeRepo::new);
    }

    /** A dataset repo; add commits to it. */
    public FakeRepo dataset(String id) {
        return datasets.computeIfAbsent(id, FakeRepo::new);
    }

    void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    /** The next {@code n} API calls answer 503. */
    void failApi(int n) {
        apiFailuresLeft.set(n);
    }

    public void fault(byte[] content, Fault fault) {
        faults.put(sha256(content), fault);
    }

    public void clearFault(byte[] content) {
        faults.remove(sha256(content));
    }

    /** CDN GETs of the blob with this content. */
    public List<Request> blobGets(byte[] content) {
        String path = "/cdn/" + sha256(content);
        return requests.stream().filter(r -> r.method.equals("GET") && r.path.equals(path)).toList();
    }

    /**
     * How a blob misbehaves. {@code once}: only on its first GET.
     *
     * @param cutAfter    close the connection on reaching this offset of the file (-1: never)
     * @param stallAfter  go silent on reaching this offset (-1: never) for {@code stallFor}
     * @param chunk       send in chunks of this size, sleeping {@code pause} between them (0: all at once)
     * @param corrupt     flip a byte in the middle
     */
    public record Fault(boolean once, long cutAfter, long stallAfter, Duration stallFor, int chunk, Duration pause,
                 boolean corrupt, AtomicInteger served) {
        static Fault cutOnce(long after) {
            return new Fault(true, after, -1, Duration.ZERO, 0, Duration.ZERO, false, new AtomicInteger());
        }

        /** The link dies at this offset, every time: no transfer gets past it. */
        static Fault cutAlways(long at) {
            return new Fault(false, at, -1, Duration.ZERO, 0, Duration.ZERO, false, new AtomicInteger());
        }

        public static Fault stallOnce(long after, Duration duration) {
            return new Fault(true, -1, after, duration, 0, Duration.ZERO, false, new AtomicInteger());
        }

        static Fault slow(int chunk, Duration pause) {
            return new Fault(false, -1, -1, Duration.ZERO, chunk, pause, false, new AtomicInteger());
        }

        static Fault corrupted() {
            return new Fault(false, -1, -1, Duration.ZERO, 0, Duration.ZERO, true, new AtomicInteger());
        }
    }

    public final class FakeRepo {
        final String id;
        final Map<String, Map<String, byte[]>> commits = new ConcurrentHashMap<>();
        final Map<String, String> refs = new ConcurrentHashMap<>();
        volatile String requiredToken;

        FakeRepo(String id) {
            this.id = id;
        }

        /** Adds a commit holding {@code files} and points {@code ref} (e.g. main, v1) at it. */
        public FakeRepo commit(String sha, String ref, Map<String, byte[]> files) {
            commits.put(sha, new LinkedHashMap<>(files));
            refs.put(ref, sha);
            files.values().forEach(content -> blobsBySha256.put(sha256(content), content));
            return this;
        }

        /** Gated: only this token may read it. */
        FakeRepo gated(String token) {
            requiredToken = token;
            return this;
        }
    }

    private void handleHub(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith("/cdn/")) {
            handleCdn(ex); // reached through the hub acting as a forward proxy
            return;
        }
        log("hub", ex);
        try (ex) {
            for (Map.Entry<String, String> rename : renamed.entrySet()) {
                String old = "/" + rename.getKey() + "/";
                int at = path.indexOf(old);
                if (at == 0 || (at > 0 && path.startsWith("/api/models/"))) {
                    ex.getResponseHeaders().set("Location", path.substring(0, at) + "/" + rename.getValue() + "/"
                            + path.substring(at + old.length()));
                    ex.sendResponseHeaders(307, -1);
                    return;
                }
            }
            if (path.startsWith("/api/models/")) {
                api(ex, repos, path.substring("/api/models/".length()));
            } else if (path.startsWith("/api/datasets/")) {
                api(ex, datasets, path.substring("/api/datasets/".length()));
            } else if (path.startsWith("/datasets/")) {
                resolve(ex, datasets, path.substring("/datasets/".length()));
            } else {
                resolve(ex, repos, path.substring(1));
            }
        }
    }

    private void api(HttpExchange ex, Map<String, FakeRepo> byId, String rest) throws IOException {
        if (apiFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.sendResponseHeaders(503, -1);
            return;
        }
        // {org}/{name}/revision/{revision}
        String[] parts = rest.split("/", 4);
        FakeRepo repo = byId.get(parts[0] + "/" + parts[1]);
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        String commit = commitOf(repo, decode(parts[3]));
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + decode(parts[3]));
            return;
        }
        List<Map<String, String>> siblings = new ArrayList<>();
        repo.commits.get(commit).keySet().forEach(f -> siblings.add(Map.of("rfilename", f)));
        byte[] json = new ObjectMapper().writeValueAsBytes(Map.of("id", repo.id, "sha", commit, "siblings", siblings));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, json.length);
        ex.getResponseBody().write(json);
    }

    private void resolve(HttpExchange ex, Map<String, FakeRepo> byId, String rest) throws IOException {
        // {org}/{name}/resolve/{revision}/{file...}
        String[] parts = rest.split("/", 5);
        if (parts.length < 5 || !parts[2].equals("resolve")) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        FakeRepo repo = byId.get(parts[0] + "/" + parts[1]);
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        String commit = commitOf(repo, decode(parts[3]));
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id");
            return;
        }
        String file = decode(parts[4]);
        byte[] content = repo.commits.get(commit).get(file);
        ex.getResponseHeaders().set("X-Repo-Commit", commit);
        if (content == null) {
            error(ex, 404, "EntryNotFound", file + " does not exist");
            return;
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (content.length >= LFS_THRESHOLD) {
            String sha = sha256(content);
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
            ex.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(sha.getBytes(StandardCharsets.US_ASCII)) + "\"");
            ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + sha);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        ex.getResponseHeaders().set("ETag", "W/\"" + gitBlobSha1(content) + "\"");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(content.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            ex.sendResponseHeaders(200, content.length);
            ex.getResponseBody().write(content);
        }
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        log(ex.getHttpContext().getServer() == cdn ? "cdn" : "hub", ex);
        try (ex) {
            String sha = ex.getRequestURI().getPath().substring("/cdn/".length());
            byte[] content = blobsBySha256.get(sha);
            if (content == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Fault fault = faults.get(sha);
            boolean active = fault != null && (!fault.once || fault.served.getAndIncrement() == 0);
            byte[] body = content;
            if (active && fault.corrupt) {
                body = content.clone();
                body[body.length / 2] ^= 0x5a;
            }
            long start = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                start = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
                if (start >= body.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
            ex.getResponseHeaders().set("ETag", "\"" + sha + "\"");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(range == null ? 200 : 206, -1);
                return;
            }
            ex.sendResponseHeaders(range == null ? 200 : 206, body.length - start);
            send(ex.getResponseBody(), body, (int) start, active ? fault : null);
        }
    }

    private static void send(OutputStream out, byte[] body, int start, Fault fault) throws IOException {
        int chunk = fault != null && fault.chunk > 0 ? fault.chunk : 64 * 1024;
        for (int pos = start; pos < body.length; pos += chunk) {
            int n = Math.min(chunk, body.length - pos);
            if (fault != null && fault.cutAfter >= 0 && pos + n > fault.cutAfter) {
                out.write(body, pos, (int) Math.max(0, fault.cutAfter - pos));
                out.flush();
                // Closing short of Content-Length makes the server drop the connection, as a broken link would.
                throw new IOException("fake hub: connection cut at byte " + fault.cutAfter);
            }
            if (fault != null && fault.stallAfter >= 0 && pos + n > fault.stallAfter) {
                out.write(body, pos, (int) Math.max(0, fault.stallAfter - pos));
                out.flush();
                sleep(fault.stallFor);
                throw new IOException("fake hub: stalled at byte " + fault.stallAfter);
            }
            out.write(body, pos, n);
            if (fault != null && fault.chunk > 0) {
                out.flush();
                sleep(fault.pause);
            }
        }
    }

    private boolean authorized(HttpExchange ex, FakeRepo repo) throws IOException {
        if (repo.requiredToken == null) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            error(ex, 401, "GatedRepo", "Access to model " + repo.id + " is restricted. You must be authenticated.");
            return false;
        }
        if (!auth.equals("Bearer " + repo.requiredToken)) {
            error(ex, 403, "GatedRepo", "Access to model " + repo.id + " is restricted and you are not in the"
                    + " authorized list.");
            return false;
        }
        return true;
    }

    private static String commitOf(FakeRepo repo, String revision) {
        if (repo.commits.containsKey(revision)) {
            return revision;
        }
        return repo.refs.get(revision);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().set("X-Error-Code", code);
        ex.getResponseHeaders().set("X-Error-Message", message);
        ex.sendResponseHeaders(status, -1);
    }

    private void log(String server, HttpExchange ex) {
        requests.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String sha256(byte[] content) {
        return hex("SHA-256", new byte[0], content);
    }

    static String gitBlobSha1(byte[] content) {
        return hex("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content);
    }

    private static String hex(String algorithm, byte[] prefix, byte[] content) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(prefix);
            return HexFormat.of().formatHex(md.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

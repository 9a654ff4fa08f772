package dev.rerank4j.hub;

import dev.rerank4j.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The huggingface_hub cache layout, shared with Python tools:
 *
 * <pre>
 * {root}/models--org--name/blobs/{etag}                 file contents, named by sha256 (LFS) or git sha1
 * {root}/models--org--name/snapshots/{commit}/{file}    relative symlinks to ../../blobs/{etag}
 * {root}/models--org--name/refs/{revision}              the commit a branch or tag pointed to, no newline
 * {root}/.locks/models--org--name/{etag}.lock           held while a blob downloads
 * </pre>
 *
 * Dataset repos live beside them in {@code datasets--org--name}, laid out the same way.
 */
public final class HubCache {
    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(RepoRef repo) {
        return root.resolve(repo.folderName());
    }

    public Path snapshotDir(RepoRef repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    public Path blob(RepoRef repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    /** Where a blob grows while it downloads; kept across runs so a later download resumes it. */
    public Path incompleteBlob(RepoRef repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(etag + ".incomplete");
    }

    public Path lockFile(RepoRef repo, String etag) {
        return root.resolve(".locks").resolve(repo.folderName()).resolve(etag + ".lock");
    }

    /** The commit a revision names: itself if it is a commit hash, else what refs/{revision} recorded. */
    public Optional<String> commitOf(RepoRef repo) {
        if (RepoRef.isCommitHash(repo.revision())) {
            return Optional.of(repo.revision());
        }
        Path ref = repoDir(repo).resolve("refs").resolve(repo.revision());
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return RepoRef.isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
    }

    /** Records that {@code revision} points to {@code commit}; nothing to record when it is the commit itself. */
    public void writeRef(RepoRef repo, String commit) throws IOException {
        if (repo.revision().equals(commit) || commitOf(repo).filter(commit::equals).isPresent()) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(repo.revision());
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        moveAtomically(tmp, ref);
    }

    /**
     * Points {@code snapshots/{commit}/{file}} at a blob with a relative symlink, as huggingface_hub does; where the
     * file system has no symlinks, copies the blob instead.
     */
    public Path link(RepoRef repo, String commit, String file, Path blob) throws IOException {
        Path pointer = snapshotDir(repo, commit).resolve(file);
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createSymbolicLink(tmp, target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        // Renaming over the pointer keeps it valid at every instant even when two downloaders link the same file.
        moveAtomically(tmp, pointer);
        return pointer;
    }

    /** Moves {@code from} onto {@code to} in one step, so readers see the old file or the new one, never a part. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Every model repo in the cache with its snapshots and disk use, sorted by id. */
    public List<CachedRepo> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<CachedRepo> repos = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "models--*")) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString().substring("models--".length());
                String repoId = name.replaceFirst("--", "/");
                // Python also caches legacy ids without an organisation; rerank4j cannot name those, so skips them.
                if (!Files.isDirectory(dir) || !RepoRef.looksLikeRepoId(repoId)) {
                    continue;
                }
                repos.add(new CachedRepo(repoId, dir, blobBytes(dir.resolve("blobs")), snapshots(dir)));
            }
        }
        repos.sort(Comparator.comparing(CachedRepo::repoId));
        return repos;
    }

    private static List<CachedSnapshot> snapshots(Path dir) throws IOException {
        Map<String, List<String>> refsByCommit = new TreeMap<>();
        Path refs = dir.resolve("refs");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> files = Files.walk(refs)) {
                for (Path ref : files.filter(Files::isRegularFile).toList()) {
                    String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
                    String name = refs.relativize(ref).toString().replace('\\', '/');
                    refsByCommit.computeIfAbsent(commit, c -> new ArrayList<>()).add(name);
                }
            }
        }
        List<CachedSnapshot> result = new ArrayList<>();
        Path snapshots = dir.resolve("snapshots");
        if (Files.isDirectory(snapshots)) {
            try (DirectoryStream<Path> commits = Files.newDirectoryStream(snapshots)) {
                for (Path snapshot : commits) {
                    String commit = snapshot.getFileName().toString();
                    List<String> names = refsByCommit.getOrDefault(commit, List.of());
                    result.add(new CachedSnapshot(commit, names.stream().sorted().toList(), snapshot,
                            loadable(snapshot)));
                }
            }
        }
        result.sort(Comparator.comparing(CachedSnapshot::commit));
        return result;
    }

    private static boolean loadable(Path snapshot) {
        try {
            return ModelFiles.missing(snapshot).isEmpty();
        } catch (ModelFormatException e) {
            return false; // a broken shard index: listed, but not loadable
        }
    }

    private static long blobBytes(Path blobs) throws IOException {
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(blobs)) {
            long total = 0;
            for (Path blob : files.toList()) {
                if (Files.isRegularFile(blob)) {
                    total += Files.size(blob);
                }
            }
            return total;
        }
    }

    /** A cached repo: its folder, the bytes its blobs take (partial downloads included), its snapshots. */
    public record CachedRepo(String repoId, Path directory, long bytes, List<CachedSnapshot> snapshots) {
    }

    /**
     * One cached commit.
     *
     * @param refs     the branches and tags known to point at it
     * @param loadable whether it holds everything rerank4j needs to load a model
     */
    public record CachedSnapshot(String commit, List<String> refs, Path directory, boolean loadable) {
    }
}

package dev.rerank4j.hub;

import dev.rerank4j.RerankException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns what a user typed after {@code --model} into a model folder on disk.
 *
 * <p>A spec is, in this order: an existing directory; {@code bundled} (the model shipped in the application); a
 * Hub id {@code org/name[@revision]}. A Hub model whose snapshot is already complete in the cache is used at once,
 * with no network request, so later runs start immediately and work offline; {@code rerank4j download} is the way
 * to pick up a newer commit of a branch.
 */
public final class ModelResolver {
    private final HubConfig config;
    private final HubCache cache;
    private final ProgressListener progress;

    public ModelResolver(HubConfig config, ProgressListener progress) {
        this.config = config;
        this.cache = new HubCache(config.hubCache());
        this.progress = progress;
    }

    public ResolvedModel resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new RerankException("empty model name: give a directory, a Hugging Face id such as "
                    + DefaultModel.PREFERRED + ", or '" + BundledMiniLm.SPEC + "'");
        }
        Optional<Path> dir = asDirectory(spec);
        if (dir.isPresent()) {
            Path absolute = dir.get().toAbsolutePath().normalize();
            // A local model is reported by its folder's name, as a Hub model is by its id.
            String name = absolute.getFileName() == null ? spec : absolute.getFileName().toString();
            return new ResolvedModel(absolute, name, null, null, ResolvedModel.Source.LOCAL);
        }
        if (spec.equals(BundledMiniLm.SPEC)) {
            return new BundledMiniLm(config.appCache()).resolve();
        }
        RepoRef repo;
        try {
            repo = RepoRef.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new RerankException("model '" + spec + "' is not a directory, and not a Hugging Face id"
                    + " org/name[@revision]: " + e.getMessage(), e);
        }
        Optional<ResolvedModel> cached = cached(repo);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (config.offline()) {
            throw new HubException(HubException.Kind.NOT_CACHED, repo + " is not in the Hugging Face cache at "
                    + cache.root() + " and HF_HUB_OFFLINE is set: run `rerank4j download " + repo
                    + "` where the network is available (same HF_HOME / HF_HUB_CACHE), or unset HF_HUB_OFFLINE");
        }
        try {
            return download(repo);
        } catch (HubException e) {
            if (e.kind() != HubException.Kind.NETWORK) {
                throw e;
            }
            throw new HubException(HubException.Kind.NETWORK, repo + " is not in the Hugging Face cache at "
                    + cache.root() + ", and " + e.getMessage(), e);
        }
    }

    /** The cached snapshot of {@code repo}, if it holds everything needed; never touches the network. */
    public Optional<ResolvedModel> cached(RepoRef repo) {
        return cache.commitOf(repo)
                .filter(commit -> ModelFiles.missing(cache.snapshotDir(repo, commit)).isEmpty())
                .map(commit -> new ResolvedModel(cache.snapshotDir(repo, commit), repo.repoId(), repo.revision(),
                        commit, ResolvedModel.Source.CACHE));
    }

    /** Asks the Hub which commit {@code repo}'s revision is now and fetches whatever of it the cache lacks. */
    public ResolvedModel download(RepoRef repo) {
        return download(repo, config.maxAttempts());
    }

    /** As {@link #download(RepoRef)}, giving up on the first request after {@code revisionAttempts} tries. */
    ResolvedModel download(RepoRef repo, int revisionAttempts) {
        if (config.offline()) {
            throw new HubException(HubException.Kind.NOT_CACHED, "cannot download " + repo
                    + ": HF_HUB_OFFLINE is set; unset it to allow network access");
        }
        try (HubClient client = new HubClient(config)) {
            RepoRevision revision = client.revision(repo, revisionAttempts);
            Path dir = new HubDownloader(cache, client, progress).download(repo, revision);
            return new ResolvedModel(dir, repo.repoId(), repo.revision(), revision.commit(),
                    ResolvedModel.Source.DOWNLOADED);
        }
    }

    public HubCache cache() {
        return cache;
    }

    private static Optional<Path> asDirectory(String spec) {
        try {
            Path path = Path.of(spec);
            if (Files.isDirectory(path)) {
                return Optional.of(path);
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        String beforeRevision = spec.split("@", 2)[0];
        boolean pathLike = spec.startsWith("/") || spec.startsWith(".") || spec.startsWith("~")
                || spec.contains("\\") || beforeRevision.chars().filter(c -> c == '/').count() > 1;
        if (pathLike) {
            throw new RerankException("model directory '" + spec + "' does not exist");
        }
        return Optional.empty();
    }
}

package dev.rerank4j.hub;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Puts a dataset repo of the Hub into the shared Hugging Face cache ({@code datasets--org--name}, as
 * huggingface_hub lays it out) and finds it there: the card, then the data files its {@code configs} name (or, for
 * a card without configs, every Parquet, JSON Lines and TSV file). Files are fetched, checked and resumed by the
 * same downloader as models. A snapshot the cache already holds whole is used with no request at all.
 */
public final class DatasetResolver {
    private final HubConfig config;
    private final HubCache cache;
    private final ProgressListener progress;

    public DatasetResolver(HubConfig config, ProgressListener progress) {
        this.config = config;
        this.cache = new HubCache(config.hubCache());
        this.progress = progress;
    }

    /** Parses {@code org/name[@revision]} and resolves it. */
    public ResolvedDataset resolve(String spec) {
        RepoRef repo;
        try {
            repo = RepoRef.parse(RepoType.DATASET, spec);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.Kind.NOT_FOUND, "dataset '" + spec + "': " + e.getMessage(), e);
        }
        return resolve(repo);
    }

    public ResolvedDataset resolve(RepoRef repo) {
        Optional<ResolvedDataset> cached = cached(repo);
        if (cached.isPresent()) {
            return cached.get();
        }
        if (config.offline()) {
            throw new HubException(HubException.Kind.NOT_CACHED, "dataset " + repo + " is not in the Hugging Face "
                    + "cache at " + cache.root() + " and HF_HUB_OFFLINE is set: run the same command where the "
                    + "network is available (same HF_HOME / HF_HUB_CACHE), or unset HF_HUB_OFFLINE");
        }
        try (HubClient client = new HubClient(config)) {
            RepoRevision revision = client.revision(repo, config.maxAttempts());
            HubDownloader downloader = new HubDownloader(cache, client, progress);
            DatasetCard card = revision.files().contains(DatasetCard.FILE)
                    ? DatasetCard.read(downloader.fetchFile(repo, revision.commit(), DatasetCard.FILE))
                    : DatasetCard.NONE;
            var files = card.dataFiles(revision.files());
            if (files.isEmpty()) {
                throw new HubException(HubException.Kind.UNSUPPORTED, "dataset " + repo + " at commit "
                        + revision.commit() + " has no data files its card's configs name (nor Parquet, JSON Lines "
                        + "or TSV files); its files: " + String.join(", ", revision.files()));
            }
            for (String file : files) {
                downloader.fetchFile(repo, revision.commit(), file);
            }
            downloader.finish(repo, revision.commit());
            return new ResolvedDataset(repo, cache.snapshotDir(repo, revision.commit()), revision.commit(), card,
                    ResolvedModel.Source.DOWNLOADED);
        }
    }

    /**
     * The cached snapshot of {@code repo}, if whole; never touches the network. The ref is written only after the
     * last file, so a ref means the download finished; the card's patterns must still match files, in case blobs
     * were removed by hand.
     */
    public Optional<ResolvedDataset> cached(RepoRef repo) {
        return cache.commitOf(repo).flatMap(commit -> {
            Path snapshot = cache.snapshotDir(repo, commit);
            DatasetCard card = DatasetCard.read(snapshot.resolve(DatasetCard.FILE));
            return card.coveredBy(ResolvedDataset.filesIn(snapshot))
                    ? Optional.of(new ResolvedDataset(repo, snapshot, commit, card, ResolvedModel.Source.CACHE))
                    : Optional.empty();
        });
    }
}

package dev.rerank4j.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Fills one snapshot of the cache with the files a model or a dataset needs, the way huggingface_hub would: each
 * file's bytes go to {@code blobs/{etag}} (through {@code .incomplete}, under a lock shared with other processes),
 * then a symlink in {@code snapshots/{commit}/} points at it. A blob that is already there, from us or from
 * Python, is reused.
 */
final class HubDownloader {
    private final HubCache cache;
    private final HubClient client;
    private final ProgressListener progress;

    HubDownloader(HubCache cache, HubClient client, ProgressListener progress) {
        this.cache = cache;
        this.client = client;
        this.progress = progress;
    }

    /** Downloads what is missing of {@code repo} at {@code revision}'s commit; returns the snapshot folder. */
    Path download(RepoRef repo, RepoRevision revision) {
        String commit = revision.commit();
        ModelFiles.Plan plan = ModelFiles.plan(repo, commit, revision.files());
        try {
            for (String file : plan.smallFiles()) {
                fetch(repo, commit, file);
            }
            Path weights = fetch(repo, commit, plan.weights());
            if (plan.weights().equals(ModelFiles.SAFETENSORS_INDEX)) {
                Set<String> present = Set.copyOf(revision.files());
                List<String> shards = ModelFiles.shards(weights);
                for (String shard : shards) {
                    if (!present.contains(shard)) {
                        throw new HubException(HubException.Kind.UNSUPPORTED, repo.repoId() + " at commit " + commit
                                + ": " + ModelFiles.SAFETENSORS_INDEX + " names shard '" + shard
                                + "', which the repo does not have");
                    }
                }
                for (String shard : shards) {
                    fetch(repo, commit, shard);
                }
            }
            cache.writeRef(repo, commit);
        } catch (IOException e) {
            throw cannotWrite(repo, e);
        }
        return cache.snapshotDir(repo, commit);
    }

    /** Downloads {@code file} at {@code commit} unless the snapshot has it; returns its path in the snapshot. */
    Path fetchFile(RepoRef repo, String commit, String file) {
        try {
            return fetch(repo, commit, file);
        } catch (IOException e) {
            throw cannotWrite(repo, e);
        }
    }

    /**
     * Records that the revision asked for is now {@code commit}. Written once every file is in, so a ref in the
     * cache means a complete snapshot: an interrupted download leaves no ref behind and is resumed next time.
     */
    void finish(RepoRef repo, String commit) {
        try {
            cache.writeRef(repo, commit);
        } catch (IOException e) {
            throw cannotWrite(repo, e);
        }
    }

    private HubException cannotWrite(RepoRef repo, IOException e) {
        return new HubException(HubException.Kind.NETWORK, "cannot write " + repo + " into the cache at "
                + cache.root() + ": " + e, e);
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    private Path fetch(RepoRef repo, String commit, String file) throws IOException {
        Path pointer = cache.snapshotDir(repo, commit).resolve(file);
        if (Files.isRegularFile(pointer)) {
            return pointer;
        }
        FileMetadata meta = client.metadata(repo, commit, file);
        Path blob = cache.blob(repo, meta.etag());
        if (!isWhole(blob, meta)) {
            Files.createDirectories(blob.getParent());
            try (FileLocks.Held lock = FileLocks.acquire(cache.lockFile(repo, meta.etag()))) {
                // Whoever held the lock before us may have just finished this very blob.
                if (!isWhole(blob, meta)) {
                    Path incomplete = cache.incompleteBlob(repo, meta.etag());
                    client.download(repo, file, meta, incomplete, progress);
                    HubCache.moveAtomically(incomplete, blob);
                }
            }
        }
        return cache.link(repo, commit, file, blob);
    }

    private static boolean isWhole(Path blob, FileMetadata meta) throws IOException {
        return Files.isRegularFile(blob) && (meta.size() < 0 || Files.size(blob) == meta.size());
    }
}

package dev.rerank4j.eval;

import dev.rerank4j.RerankException;
import dev.rerank4j.hub.DatasetResolver;
import dev.rerank4j.hub.RepoRef;
import dev.rerank4j.hub.RepoType;
import dev.rerank4j.hub.ResolvedDataset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns what follows {@code --dataset} into a dataset: a BEIR-layout directory, {@code hf:org/name[@revision]} (a
 * BEIR-shaped dataset repo, with its judgements in its own {@code qrels} config or in {@code org/name-qrels}), or
 * {@code loco:TASK} (one LoCo task). Hub datasets go through the Hugging Face cache: downloaded once, then read
 * with no request, and offline with HF_HUB_OFFLINE.
 */
public final class DatasetSpecs {
    private final DatasetResolver resolver;

    public DatasetSpecs(DatasetResolver resolver) {
        this.resolver = resolver;
    }

    public Dataset open(String spec) {
        if (spec.startsWith("hf:")) {
            RepoRef repo = repo(spec, spec.substring(3));
            ResolvedDataset main = resolver.resolve(repo);
            ResolvedDataset qrels = HubBeirDataset.hasOwnQrels(main) ? null
                    : resolver.resolve(new RepoRef(RepoType.DATASET, repo.repoId() + "-qrels",
                            RepoRef.DEFAULT_REVISION));
            return new HubBeirDataset(nameOf(spec), main, qrels);
        }
        if (spec.startsWith("loco:")) {
            String task = spec.substring(5);
            if (task.isEmpty()) {
                throw new RerankException("dataset '" + spec + "': expected loco:TASK, e.g. loco:qmsum");
            }
            return new LocoDataset(task, resolver.resolve(LocoDataset.DOCUMENTS_REPO),
                    resolver.resolve(LocoDataset.QUERIES_REPO));
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new RerankException("dataset '" + spec + "' is not a directory; expected a BEIR-layout directory, "
                    + "hf:org/name (e.g. hf:BeIR/scifact) or loco:TASK");
        }
        return new BeirDataset(dir);
    }

    /**
     * The name a spec's dataset goes by, known before anything is opened or downloaded: the repo's name
     * ({@code scifact}), the LoCo task, or the directory's name.
     */
    public static String nameOf(String spec) {
        if (spec.startsWith("hf:")) {
            return nameOf(repo(spec, spec.substring(3)));
        }
        if (spec.startsWith("loco:")) {
            return spec.substring(5);
        }
        Path name = Path.of(spec).toAbsolutePath().normalize().getFileName();
        return name == null ? spec : name.toString();
    }

    private static RepoRef repo(String spec, String id) {
        try {
            return RepoRef.parse(RepoType.DATASET, id);
        } catch (IllegalArgumentException e) {
            throw new RerankException("dataset '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static String nameOf(RepoRef repo) {
        return repo.repoId().substring(repo.repoId().indexOf('/') + 1);
    }
}

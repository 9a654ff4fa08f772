package dev.rerank4j.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dataset repo's snapshot on disk.
 *
 * @param directory the snapshot folder: the repo's files under their repo paths
 * @param commit    the commit the files come from
 * @param card      the configurations its card declares
 * @param source    {@link ResolvedModel.Source#CACHE} when no request was made, else DOWNLOADED
 */
public record ResolvedDataset(RepoRef repo, Path directory, String commit, DatasetCard card,
        ResolvedModel.Source source) {

    /** The repo paths of the files in the snapshot, sorted. */
    public List<String> files() {
        return filesIn(directory);
    }

    static List<String> filesIn(Path snapshot) {
        if (!Files.isDirectory(snapshot)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(snapshot)) {
            // Dangling links (a blob removed by hand) are not files: the snapshot is then incomplete.
            return walk.filter(Files::isRegularFile)
                    .map(p -> snapshot.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + snapshot, e);
        }
    }
}

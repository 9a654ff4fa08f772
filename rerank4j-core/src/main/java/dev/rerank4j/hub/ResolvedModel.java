package dev.rerank4j.hub;

import java.nio.file.Path;

/**
 * A model found on disk, ready for the loader.
 *
 * @param directory a Hugging Face model folder (config.json, tokenizer.json, weights)
 * @param modelId   the name to report in responses: the Hub id, the folder's name, or the bundled model's id
 * @param revision  the revision asked for ({@code main}, a tag, a commit), or a version for the bundled model;
 *                  null for a local directory
 * @param commit    the commit the files come from; null unless from the Hub
 * @param source    where the files came from
 */
public record ResolvedModel(Path directory, String modelId, String revision, String commit, Source source) {

    /** Where a model's files came from. */
    public enum Source {
        /** A directory the user named. */
        LOCAL,
        /** The Hugging Face cache, without touching the network. */
        CACHE,
        /** The Hub, just now (files already in the cache were reused). */
        DOWNLOADED,
        /** The model that ships inside the application. */
        BUNDLED
    }
}

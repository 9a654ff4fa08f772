package dev.rerank4j.hub;

/**
 * The kinds of Hub repository rerank4j reads. They differ only in where the Hub serves them and where the cache
 * keeps them, so the client, the cache and the downloader serve both.
 */
public enum RepoType {
    MODEL("model", "models", ""),
    DATASET("dataset", "datasets", "datasets/");

    private final String word;
    private final String plural;
    private final String urlPrefix;

    RepoType(String word, String plural, String urlPrefix) {
        this.word = word;
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /** "model" or "dataset", for messages. */
    public String word() {
        return word;
    }

    /** The API path segment and cache folder prefix: {@code models} or {@code datasets}. */
    String plural() {
        return plural;
    }

    /** What comes before {@code org/name} in file and page URLs: nothing for models, {@code datasets/} else. */
    String urlPrefix() {
        return urlPrefix;
    }
}

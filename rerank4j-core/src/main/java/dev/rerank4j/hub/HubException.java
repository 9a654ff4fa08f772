package dev.rerank4j.hub;

import dev.rerank4j.RerankException;

/** A model could not be fetched from the Hub or found in the cache; the message says what to do about it. */
public class HubException extends RerankException {

    /** What went wrong, for callers that react differently (the default-model fallback, tests). */
    public enum Kind {
        /** The repo is gated or private and our token (if any) has no access. */
        ACCESS_DENIED,
        /** The repo, revision or file does not exist. */
        NOT_FOUND,
        /** Offline mode, or no network, and the cache does not hold the model. */
        NOT_CACHED,
        /** The Hub could not be reached or kept failing. */
        NETWORK,
        /** A downloaded file does not match the size or hash the Hub announced. */
        INTEGRITY,
        /** The repo does not hold files rerank4j can load, or the Hub answered something unexpected. */
        UNSUPPORTED
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

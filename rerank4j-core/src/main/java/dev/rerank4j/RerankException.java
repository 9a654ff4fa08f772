package dev.rerank4j;

/** Base of every error rerank4j reports; messages name the input and the problem. */
public class RerankException extends RuntimeException {
    public RerankException(String message) {
        super(message);
    }

    public RerankException(String message, Throwable cause) {
        super(message, cause);
    }
}

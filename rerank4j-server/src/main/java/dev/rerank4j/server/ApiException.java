package dev.rerank4j.server;

/** A request the server refuses, answered as {@code {"error": {"message", "type"}}} with the type's status. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient ErrorType type;

    ApiException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_REQUEST, message);
    }

    static ApiException validation(String message) {
        return new ApiException(ErrorType.VALIDATION, message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(ErrorType.PAYLOAD_TOO_LARGE, message);
    }
}

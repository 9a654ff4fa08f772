package dev.rerank4j.server;

/** The error classes of the API: the HTTP status and the {@code type} a client sees in the JSON body. */
enum ErrorType {
    /** Malformed JSON, or a field of the wrong type. */
    INVALID_REQUEST(400, "invalid_request_error"),
    AUTHENTICATION(401, "authentication_error"),
    NOT_FOUND(404, "not_found_error"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed_error"),
    /** Body, document count or (TEI without truncation) input over a configured limit. */
    PAYLOAD_TOO_LARGE(413, "payload_too_large_error"),
    /** Well-formed but unacceptable values: empty query, no documents, top_n below 1, an unknown model. */
    VALIDATION(422, "validation_error"),
    OVERLOADED(429, "overloaded_error"),
    INTERNAL(500, "internal_error"),
    UNAVAILABLE(503, "unavailable_error");

    final int status;
    final String type;

    ErrorType(int status, String type) {
        this.status = status;
        this.type = type;
    }
}

package dev.fleetkey.service.system;

import org.springframework.http.HttpStatus;

/**
 * A failure the API caller can act on. The message is safe to show to the client (it never contains a
 * secret); {@link ProblemDetailsAdvice} turns it into RFC 9457 problem details.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String field;

    protected ApiException(HttpStatus status, String type, String field, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.field = field;
    }

    /** 400: the named request field is wrong; the message says how to fix it. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-field", field, message);
    }

    /** 404: the addressed resource does not exist. */
    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", null, message);
    }

    /** 409: the request conflicts with what already exists. */
    public static ApiException conflict(String type, String message) {
        return new ApiException(HttpStatus.CONFLICT, type, null, message);
    }

    /** 422: the request is well-formed but the service cannot do it for this resource. */
    public static ApiException unprocessable(String type, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, type, null, message);
    }

    public HttpStatus status() {
        return status;
    }

    /** A short slug naming the kind of problem, e.g. {@code invalid-field}. */
    public String type() {
        return type;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}

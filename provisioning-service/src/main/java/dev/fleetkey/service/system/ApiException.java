package dev.fleetkey.service.system;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the API caller can act on. The message is safe to show to the client (it never contains a
 * secret); {@link ProblemDetailsAdvice} turns it into RFC 9457 problem details.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String field;
    private final Map<String, String> headers;

    protected ApiException(HttpStatus status, String type, String field, String message) {
        this(status, type, field, message, Map.of());
    }

    /** With response headers the caller needs to act (e.g. {@code Retry-After}); they must hold no secret. */
    protected ApiException(HttpStatus status, String type, String field, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.field = field;
        this.headers = Map.copyOf(headers);
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

    /** 401 for a bearer token that is missing, unknown or revoked. */
    public static ApiException badBearerToken(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthenticated", null, message,
                Map.of("WWW-Authenticate", "Bearer realm=\"fleetkey\""));
    }

    /** 403: the caller is known but may not do this; the message says what it may do. */
    public static ApiException forbidden(String type, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, type, null, message);
    }

    /** 429: the caller's quota is used up; it may try again after {@code retryAfter} (whole seconds, at least 1). */
    public static ApiException tooManyRequests(Duration retryAfter, String message) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "quota-exceeded", null, message,
                Map.of("Retry-After", Long.toString(seconds)));
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

    /** Headers to send with the problem, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}

package dev.fleetkey.service.system;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Our problem type and a message saying what to do, for errors whose status was chosen by the framework or
 * the servlet container (unknown address, wrong method or media type...) rather than by our own code.
 */
public final class StatusProblems {

    private StatusProblems() {
    }

    /**
     * The problem for {@code status} on {@code method path}; {@code allowed} are the methods the address takes and
     * {@code accepted} the body types it reads (either may be empty when unknown).
     */
    public static ProblemDetail forStatus(HttpStatusCode status, String method, String path, List<HttpMethod> allowed,
            List<MediaType> accepted) {
        HttpStatus known = HttpStatus.resolve(status.value());
        ProblemDetail problem = switch (known == null ? HttpStatus.INTERNAL_SERVER_ERROR : known) {
            case BAD_REQUEST -> Problems.problem(status, "bad-request", "The request is malformed: check its "
                    + "address, headers and body against the API description at /v3/api-docs");
            case UNAUTHORIZED -> Problems.problem(status, "unauthenticated", Problems.LOG_IN);
            case FORBIDDEN -> Problems.problem(status, "forbidden", "Your account may not do this");
            case NOT_FOUND -> Problems.problem(status, "not-found", "There is nothing at " + shown(path)
                    + ": the API description at /v3/api-docs lists every address");
            case METHOD_NOT_ALLOWED -> Problems.problem(status, "method-not-allowed", shown(path) + " does not take "
                    + shown(method) + (allowed.isEmpty() ? "" : ": use " + allowed.stream().map(HttpMethod::name)
                    .collect(Collectors.joining(", "))));
            case NOT_ACCEPTABLE -> Problems.problem(status, "not-acceptable", "The service cannot answer in the "
                    + "format the Accept header asks for: send Accept: application/json (or no Accept header)");
            case PAYLOAD_TOO_LARGE -> Problems.problem(status, "payload-too-large", "The body is larger than this "
                    + "address accepts: send a smaller one");
            case UNSUPPORTED_MEDIA_TYPE -> Problems.problem(status, "unsupported-media-type", "This address does not "
                    + "read a body of that Content-Type: send " + (accepted.isEmpty() ? "JSON with Content-Type: "
                    + "application/json" : "Content-Type: " + accepted.stream().map(MediaType::toString)
                    .collect(Collectors.joining(" or "))));
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> headersTooLarge(status);
            case SERVICE_UNAVAILABLE -> Problems.problem(status, "unavailable", "The service is starting or stopping: "
                    + "try again shortly");
            default -> status.is4xxClientError()
                    ? Problems.problem(status, "bad-request", "The request cannot be served as sent: check it against "
                            + "the API description at /v3/api-docs")
                    : Problems.problem(status, "internal-error", "The service failed unexpectedly; nothing was changed");
        };
        URI instance = safeUri(path);
        if (instance != null) {
            problem.setInstance(instance);
        }
        return problem;
    }

    /** Headers past the container's limit (8 KB in all unless {@code server.max-http-request-header-size} says more). */
    public static ProblemDetail headersTooLarge(HttpStatusCode status) {
        return Problems.problem(status, "headers-too-large", "The request headers are larger than "
                + "the service accepts (8 KB in all): send fewer or shorter headers");
    }

    private static String shown(String text) {
        if (text == null) {
            return "?";
        }
        String cut = text.length() > 120 ? text.substring(0, 120) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static URI safeUri(String path) {
        try {
            return path == null ? null : URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

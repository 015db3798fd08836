package dev.fleetkey.service.system;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * The one place that writes RFC 9457 problem details, for controllers and (through the security entry
 * points) for the filter chain alike. Clients get a safe message; details go only to the log.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final URI ABOUT_BLANK = URI.create("about:blank");
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** A domain failure: status, type, field and headers from {@link DomainProblems}. */
    @ExceptionHandler(FleetkeyException.class)
    ResponseEntity<ProblemDetail> domainException(FleetkeyException e, HttpServletRequest request) {
        DomainProblems.Answer answer = DomainProblems.answer(e).orElse(null);
        if (answer == null) {
            return unexpected(e, request);
        }
        log.info("{} {} -> {}: {}", request.getMethod(), request.getRequestURI(), answer.status().value(), answer.detail());
        ProblemDetail problem = problem(answer.status(), answer.type(), answer.detail());
        if (answer.field() != null) {
            problem.setProperty("field", answer.field());
        }
        HttpHeaders headers = new HttpHeaders();
        answer.headers().forEach(headers::set);
        return respond(problem, headers);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e, HttpServletRequest request) {
        log.info("{} {} -> 401: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"fleetkey\"");
        return respond(problem(HttpStatus.UNAUTHORIZED, "unauthenticated", Problems.LOG_IN), headers);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e, HttpServletRequest request) {
        log.info("{} {} -> 403: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "Your account may not do this"), new HttpHeaders());
    }

    /** A header value the request firewall refuses, found when the controller reads it (e.g. Idempotency-Key). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        log.info("{} {} -> 400: a header the request firewall refuses", request.getMethod(), request.getRequestURI());
        return respond(RejectedRequests.problem(request), new HttpHeaders());
    }

    /** A body declared as multipart/form-data that is not one (a firmware upload, or JSON sent with that type). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> malformedMultipart(MultipartException e, HttpServletRequest request) {
        log.info("{} {} -> 400: unreadable multipart body: {}", request.getMethod(), request.getRequestURI(),
                e.getMostSpecificCause().getMessage());
        return respond(problem(HttpStatus.BAD_REQUEST, "malformed-multipart", "The body is declared as "
                + request.getContentType() + " but is not a well-formed multipart form: send JSON with Content-Type: "
                + "application/json, or (for a firmware upload) a multipart form with a boundary and the part 'image'"),
                new HttpHeaders());
    }

    /** A concurrent request won the race for a unique value (an EUI-64, a PSK identity). */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e, HttpServletRequest request) {
        log.warn("{} {} -> 409: {}", request.getMethod(), request.getRequestURI(), e.getMostSpecificCause().getMessage());
        return respond(problem(HttpStatus.CONFLICT, "conflict",
                "The request conflicts with data written at the same time; fetch the resource and retry if needed"),
                new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString();
        log.error("{} {} -> 500, reference {}", request.getMethod(), request.getRequestURI(), reference, e);
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The service failed unexpectedly; nothing was changed. Quote reference " + reference + " to the operator");
        problem.setProperty("reference", reference);
        return respond(problem, new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        log.info("Unreadable request body: {}", e.getMessage());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "The request body is not valid JSON");
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            String field = bind.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("?");
            problem.setDetail("The request field '" + field + "' has the wrong type: send " + expectedJson(bind));
            problem.setProperty("field", field);
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            problem.setDetail("The request body is missing: send a JSON object");
        } else if (!(cause instanceof JacksonException)) {
            problem.setDetail("The request body could not be read: send a JSON object");
        }
        return new ResponseEntity<>(problem, problemHeaders(headers), HttpStatus.BAD_REQUEST);
    }

    /**
     * Spring MVC's own exceptions (405, 415, 404 for unknown paths...) pass through here: they get our problem
     * type and a message saying what to send instead.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem && untyped(problem) && request instanceof ServletWebRequest web) {
            ProblemDetail ours = StatusProblems.forStatus(status, web.getRequest().getMethod(),
                    web.getRequest().getRequestURI(), List.copyOf(headers.getAllow()), headers.getAccept());
            problem.setType(ours.getType());
            // Spring's own 400 details already name the missing header or parameter
            if (status.value() != HttpStatus.BAD_REQUEST.value() || problem.getDetail() == null) {
                problem.setDetail(ours.getDetail());
            }
        }
        return new ResponseEntity<>(body, problemHeaders(headers), status);
    }

    private static boolean untyped(ProblemDetail problem) {
        return problem.getType() == null || ABOUT_BLANK.equals(problem.getType());
    }

    /** What JSON the field needs, named for a person fixing the request. */
    private static String expectedJson(DatabindException e) {
        Class<?> target = e instanceof tools.jackson.databind.exc.MismatchedInputException m ? m.getTargetType() : null;
        if (target == null || target == String.class) {
            return "a JSON string";
        }
        if (target == Integer.class || target == Long.class || target == int.class || target == long.class) {
            return "a whole JSON number (no fraction, no quotes)";
        }
        if (Number.class.isAssignableFrom(target)) {
            return "a JSON number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail) {
        return Problems.problem(status, type, detail);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
        return new ResponseEntity<>(problem, problemHeaders(headers), HttpStatusCode.valueOf(problem.getStatus()));
    }

    private static HttpHeaders problemHeaders(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        copy.addAll(headers);
        copy.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return copy;
    }
}

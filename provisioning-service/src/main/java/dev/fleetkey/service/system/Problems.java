package dev.fleetkey.service.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details, built one way for {@link ProblemDetailsAdvice} and for the layers that answer before
 * Spring MVC runs (the request firewall, the servlet container's error dispatch).
 */
public final class Problems {

    static final String TYPE_PREFIX = "urn:fleetkey:problem:";
    /** What a 401 tells the caller to send, wherever the refusal is written. */
    static final String LOG_IN = "Log in: send a user name and password with HTTP Basic authentication, a user's API"
            + " token as Authorization: Bearer fku_..., or a station's token as Authorization: Bearer fks_...";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /** A problem of kind {@code type} (a short slug such as {@code invalid-field}) with a message saying what to fix. */
    public static ProblemDetail problem(HttpStatusCode status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        return problem;
    }

    /**
     * Whether {@code path} (a request URI without the context path) is for programs, not people: the JSON API and
     * Actuator, whose errors are problem details rather than the admin UI's pages.
     */
    public static boolean isApi(String path) {
        return path != null && (under(path, "/api") || under(path, "/actuator"));
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/") || path.startsWith(root + ";");
    }

    /** Writes {@code problem} as the whole response, for code that runs outside Spring MVC. */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(problem));
        response.flushBuffer();
    }

    /** {@code problem} as JSON text, the same members Spring MVC writes. */
    public static String json(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return JSON.writeValueAsString(members);
    }
}

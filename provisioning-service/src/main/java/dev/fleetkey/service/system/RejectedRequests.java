package dev.fleetkey.service.system;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * What the request firewall ({@code StrictHttpFirewall}) refuses: an address with {@code ;}, {@code //},
 * {@code ..} or an encoded {@code %}, line break or NUL, and header values with control characters. Spring
 * Security picks this handler up as a bean: {@code /api} callers get a 400 problem naming what to fix, the
 * admin UI its own error page. The refused value itself is never echoed (a header may hold a token).
 */
@Component
public class RejectedRequests implements RequestRejectedHandler {

    static final String TYPE = "rejected-request";
    private static final Logger log = LoggerFactory.getLogger(RejectedRequests.class);

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        log.info("{} {} -> 400: rejected by the request firewall", request.getMethod(), safePath(request));
        if (response.isCommitted()) {
            return;
        }
        if (Problems.isApi(request.getRequestURI().substring(request.getContextPath().length()))) {
            Problems.write(response, problem(request));
        } else {
            response.sendError(HttpStatus.BAD_REQUEST.value());
        }
    }

    /** The 400 problem for a request the firewall refused, naming the header at fault when it was one. */
    static ProblemDetail problem(HttpServletRequest request) {
        String header = refusedHeader(request);
        if (header != null) {
            ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, TYPE, "The " + header + " header holds a "
                    + "control character (such as a tab or line break) or a character that is not assigned: send a "
                    + "value of printable characters only (an Idempotency-Key: letters, digits, '-' and '_')");
            problem.setProperty("header", header);
            return problem;
        }
        return addressProblem();
    }

    /** The 400 problem for an address the firewall or the container refuses. */
    static ProblemDetail addressProblem() {
        return Problems.problem(HttpStatus.BAD_REQUEST, TYPE, "The address or a header holds something the service "
                + "refuses: ';', '//', a '..' segment, an encoded '%', '.', '/', '\\', line break or NUL, or a "
                + "control character in a header. Send the plain path, e.g. /api/v1/devices/00-11-22-FF-FE-33-44-55");
    }

    /** The first header whose name or value the firewall refuses, read from the unwrapped container request. */
    private static String refusedHeader(HttpServletRequest request) {
        ServletRequest raw = request;
        while (raw instanceof ServletRequestWrapper wrapper) {
            raw = wrapper.getRequest();
        }
        if (!(raw instanceof HttpServletRequest http)) {
            return null;
        }
        for (String name : Collections.list(http.getHeaderNames())) {
            for (String value : Collections.list(http.getHeaders(name))) {
                if (!printable(value)) {
                    return name;
                }
            }
        }
        return null;
    }

    private static boolean printable(String text) {
        return text.chars().noneMatch(c -> Character.isISOControl(c) || !Character.isDefined(c));
    }

    /** The path for the log, with the control characters that got it refused made visible. */
    private static String safePath(HttpServletRequest request) {
        String path = request.getRequestURI();
        String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}

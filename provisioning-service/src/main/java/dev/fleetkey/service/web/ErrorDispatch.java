package dev.fleetkey.service.web;

import dev.fleetkey.service.system.Problems;
import dev.fleetkey.service.system.StatusProblems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The servlet container's error page ({@code /error}, replacing Spring Boot's): errors raised below Spring MVC
 * (a refused method such as TRACE, a {@code sendError} from a filter, an exception that escaped a filter)
 * become problem details under {@code /api} and the admin UI's own error page everywhere else.
 */
@PageController
class ErrorDispatch implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorDispatch.class);

    @RequestMapping("/error")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri ? uri : null;
        String reference = null;
        if (status >= 500 || request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable) {
            reference = UUID.randomUUID().toString();
            log.error("{} {} -> {}, reference {}", request.getMethod(), path, status, reference,
                    request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        }
        if (Problems.isApi(path == null ? null : path.substring(request.getContextPath().length()))) {
            ProblemDetail problem = StatusProblems.forStatus(HttpStatusCode.valueOf(status), request.getMethod(), path,
                    List.of(), List.of());
            if (reference != null) {
                problem.setDetail(problem.getDetail() + ". Quote reference " + reference + " to the operator");
                problem.setProperty("reference", reference);
            }
            Problems.write(response, problem);
            return null;
        }
        return page(status, request.getMethod(), reference);
    }

    private static ModelAndView page(int code, String method, String reference) {
        HttpStatus status = HttpStatus.resolve(code) != null ? HttpStatus.resolve(code) : HttpStatus.INTERNAL_SERVER_ERROR;
        return switch (status) {
            case METHOD_NOT_ALLOWED -> ErrorPages.page(status, "Not available this way", "This address does not take a "
                    + method + " request.", "Use the buttons and links on the pages rather than typing the address.");
            case NOT_FOUND -> ErrorPages.page(status, "Not found", "There is no page at this address.",
                    "Check the address, or start again from the dashboard.");
            case UNAUTHORIZED, FORBIDDEN -> ErrorPages.page(status, "Not allowed",
                    "This page or action needs a login whose role allows it.",
                    "Log in again, or ask an administrator for a role that allows it.");
            default -> status.is4xxClientError()
                    ? ErrorPages.page(status, "Cannot read this request", "The address or the request holds something "
                            + "the service refuses (such as an encoded slash, a ';' or '//', or a control character).",
                            "Go back and use the page's links and forms, or start again from the dashboard.")
                    : ErrorPages.page(status, "Something went wrong", "The service failed unexpectedly; nothing was "
                            + "changed by this request.", "Try again. If it happens again, give the operator the "
                            + "reference " + reference + ".");
        };
    }
}

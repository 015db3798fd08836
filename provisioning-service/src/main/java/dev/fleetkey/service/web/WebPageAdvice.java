package dev.fleetkey.service.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * For the admin pages only (not the JSON API, whose problem details come from ProblemDetailsAdvice):
 * puts the viewer into every model and turns failures into friendly error pages that say what to do,
 * never a stack trace.
 */
@ControllerAdvice(annotations = PageController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebPageAdvice {

    private static final Logger log = LoggerFactory.getLogger(WebPageAdvice.class);

    @ModelAttribute("viewer")
    Viewer viewer() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return Viewer.of(auth);
    }

    @ExceptionHandler(PageNotFoundException.class)
    String notFound(PageNotFoundException e, Model model, HttpServletResponse response) {
        return ErrorPages.render(model, response, 404, "Not found", e.getMessage(), e.whatToDo());
    }

    /** A hand-edited address with a value the page cannot read, e.g. {@code ?page=abc}. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    String badAddress(Exception e, Model model, HttpServletResponse response) {
        return ErrorPages.render(model, response, 400, "Cannot read this address",
                "A value in the address or the form is missing or has the wrong form.",
                "Go back and use the page's links and forms, or start again from the dashboard.");
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, Model model, HttpServletRequest request, HttpServletResponse response) {
        String reference = UUID.randomUUID().toString();
        log.error("{} {} -> 500, reference {}", request.getMethod(), request.getRequestURI(), reference, e);
        return ErrorPages.render(model, response, 500, "Something went wrong",
                "The service failed unexpectedly; nothing was changed by this request.",
                "Try again. If it happens again, give the operator the reference " + reference + ".");
    }
}

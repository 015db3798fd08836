package dev.fleetkey.service.web;

import dev.fleetkey.service.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.ui.Model;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The 403 page (Spring Security forwards refused requests here) and the 404 page for unknown addresses
 * outside the API; both say what to do next.
 */
@PageController
class ErrorPages implements HandlerExceptionResolver, Ordered {

    static final String VIEW = "error/page";

    static String render(Model model, HttpServletResponse response, int status, String title, String message,
            String whatToDo) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("heading", title);
        model.addAttribute("message", message);
        model.addAttribute("whatToDo", whatToDo);
        return VIEW;
    }

    @RequestMapping(WebAccessRules.DENIED_PAGE)
    String denied(Model model, HttpServletRequest request, HttpServletResponse response) {
        Object cause = request.getAttribute(WebAttributes.ACCESS_DENIED_403);
        if (cause instanceof CsrfException) {
            return render(model, response, 403, "Form expired",
                    "The form you sent is no longer valid (your session ended or the page was open too long).",
                    "Go back, reload the page and send the form again.");
        }
        return render(model, response, 403, "Not allowed",
                "Your account's role may not open this page or do this action.",
                "Ask an administrator for a role that allows it, or go back to the dashboard.");
    }

    /**
     * Unknown addresses and wrong methods in the admin UI get a friendly page; the API keeps its problem
     * details.
     */
    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (Problems.isApi(request.getRequestURI().substring(request.getContextPath().length()))) {
            return null;
        }
        if (ex instanceof NoResourceFoundException) {
            return page(HttpStatus.NOT_FOUND, "Not found", "There is no page at " + request.getRequestURI() + ".",
                    "Check the address, or start again from the dashboard.");
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return page(HttpStatus.METHOD_NOT_ALLOWED, "Not available this way",
                    "This address does not take a " + request.getMethod() + " request.",
                    "Use the buttons and links on the pages rather than typing the address.");
        }
        return null;
    }

    static ModelAndView page(HttpStatus status, String heading, String message, String whatToDo) {
        ModelAndView page = new ModelAndView(VIEW);
        page.addObject("status", status.value());
        page.addObject("heading", heading);
        page.addObject("message", message);
        page.addObject("whatToDo", whatToDo);
        page.addObject("viewer", Viewer.of(SecurityContextHolder.getContext().getAuthentication()));
        page.setStatus(status);
        return page;
    }

    /** Before Spring MVC's own resolvers, which would answer with problem details. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}

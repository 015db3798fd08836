package dev.fleetkey.service.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What the Bearer-token filters (users', stations', release pipelines') share: reading the token from
 * {@code Authorization: Bearer ...}, passing on a request whose token is not this filter's, and running the rest
 * of the request as the authentication a token stands for. Each filter keeps its own checks and refusals.
 * Filters are not beans: a bean filter would also be registered for every request by the servlet container.
 */
public abstract class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Override
    protected final void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = token(request);
        if (token.isEmpty() || !handles(token.get())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Authentication> authentication = authenticate(token.get(), request, response);
        if (authentication.isPresent()) {
            continueAs(authentication.get(), request, response, chain);
        }
    }

    /**
     * Whether this filter checks {@code token}; any other request passes on untouched. By default a request an
     * earlier filter authenticated (a user's fku_ token) is left alone.
     */
    protected boolean handles(String token) {
        return !authenticated();
    }

    /**
     * What {@code token} stands for; or empty once the refusal is written to {@code response}, which ends the
     * request. The token itself never goes into a log or a message.
     */
    protected abstract Optional<Authentication> authenticate(String token, HttpServletRequest request,
            HttpServletResponse response) throws ServletException, IOException;

    /** The token of an {@code Authorization: Bearer} header (the scheme in any case), trimmed; empty without one. */
    static Optional<String> token(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()).trim());
    }

    /** Whether an earlier filter authenticated the request. */
    static boolean authenticated() {
        return SecurityContextHolder.getContext().getAuthentication() != null;
    }

    /** Continues {@code chain} as {@code authentication}, in a context of its own that is cleared afterwards. */
    static void continueAs(Authentication authentication, HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}

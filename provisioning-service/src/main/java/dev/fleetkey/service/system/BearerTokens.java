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

/**
 * What the Bearer-token filters (users', stations', release pipelines') share: reading the token from
 * {@code Authorization: Bearer ...}, and running the rest of the request as the authentication a token stands for.
 * Each filter keeps its own checks.
 */
public final class BearerTokens {

    private static final String BEARER = "Bearer ";

    private BearerTokens() {
    }

    /** The token of an {@code Authorization: Bearer} header (the scheme in any case), trimmed; empty without one. */
    public static Optional<String> token(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()).trim());
    }

    /** Whether an earlier filter authenticated the request (then a later token filter leaves it alone). */
    public static boolean authenticated() {
        return SecurityContextHolder.getContext().getAuthentication() != null;
    }

    /** Continues {@code chain} as {@code authentication}, in a context of its own that is cleared afterwards. */
    public static void continueAs(Authentication authentication, HttpServletRequest request,
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

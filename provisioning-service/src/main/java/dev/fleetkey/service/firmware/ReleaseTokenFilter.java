package dev.fleetkey.service.firmware;

import dev.fleetkey.service.system.BearerTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer fkr_...} as a release pipeline (role RELEASE). Installed only
 * in the firmware API's filter chain, so a release token opens nothing else. Not a bean: a bean filter
 * would also be registered for every request by the servlet container.
 */
final class ReleaseTokenFilter extends OncePerRequestFilter {

    static final String ROLE = "RELEASE";

    private final ReleaseTokens tokens;
    private final AuthenticationEntryPoint unauthenticated;

    ReleaseTokenFilter(ReleaseTokens tokens, AuthenticationEntryPoint unauthenticated) {
        this.tokens = tokens;
        this.unauthenticated = unauthenticated;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = BearerTokens.token(request);
        // a request an earlier filter authenticated (a user's fku_ token) is not a pipeline's
        if (token.isEmpty() || BearerTokens.authenticated()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> name = tokens.authenticate(token.get());
        if (name.isEmpty()) {
            SecurityContextHolder.clearContext();
            unauthenticated.commence(request, response,
                    new BadCredentialsException("The release token is unknown or revoked"));
            return;
        }
        BearerTokens.continueAs(UsernamePasswordAuthenticationToken.authenticated("release-token:" + name.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))), request, response, chain);
    }
}

package dev.fleetkey.service.firmware;

import dev.fleetkey.service.system.BearerTokenFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Authenticates {@code Authorization: Bearer fkr_...} as a release pipeline (role RELEASE). Installed only
 * in the firmware API's filter chain, so a release token opens nothing else.
 */
final class ReleaseTokenFilter extends BearerTokenFilter {

    static final String ROLE = "RELEASE";

    private final ReleaseTokens tokens;
    private final AuthenticationEntryPoint unauthenticated;

    ReleaseTokenFilter(ReleaseTokens tokens, AuthenticationEntryPoint unauthenticated) {
        this.tokens = tokens;
        this.unauthenticated = unauthenticated;
    }

    @Override
    protected Optional<Authentication> authenticate(String token, HttpServletRequest request,
            HttpServletResponse response) throws ServletException, IOException {
        Optional<String> name = tokens.authenticate(token);
        if (name.isEmpty()) {
            SecurityContextHolder.clearContext();
            unauthenticated.commence(request, response,
                    new BadCredentialsException("The release token is unknown or revoked"));
            return Optional.empty();
        }
        return Optional.of(UsernamePasswordAuthenticationToken.authenticated("release-token:" + name.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
    }
}

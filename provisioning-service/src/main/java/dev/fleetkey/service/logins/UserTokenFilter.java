package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.BearerTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * {@code Authorization: Bearer fku_...} on the API: authenticates a user's personal API token and acts as that
 * user. Other Authorization headers pass untouched (station and release tokens have their own filters, which
 * leave a request this filter authenticated alone). A refused token is answered 401 and audited, and counts as
 * a failed login for its source address, so an address trying tokens at random is soon answered 429 without
 * an audit entry each. The token never reaches a log. It runs only in the API filter chains.
 */
final class UserTokenFilter extends BearerTokenFilter {

    private static final Logger log = LoggerFactory.getLogger(UserTokenFilter.class);

    private final UserTokens tokens;
    private final LoginThrottle throttle;
    private final HandlerExceptionResolver problems;

    UserTokenFilter(UserTokens tokens, LoginThrottle throttle, HandlerExceptionResolver problems) {
        this.tokens = tokens;
        this.throttle = throttle;
        this.problems = problems;
    }

    @Override
    protected boolean handles(String token) {
        return token.startsWith(UserTokens.PREFIX);
    }

    @Override
    protected Optional<Authentication> authenticate(String token, HttpServletRequest request,
            HttpServletResponse response) {
        UserTokens.Outcome outcome = tokens.authenticate(token);
        if (outcome instanceof UserTokens.Refused refused) {
            refuse(request, response, refused);
            return Optional.empty();
        }
        UserTokens.Accepted accepted = (UserTokens.Accepted) outcome;
        return Optional.of(new UserTokenAuthentication(accepted.username(), accepted.role(), accepted.tokenId()));
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, UserTokens.Refused refused) {
        Duration locked = throttle.addressLocked(request.getRemoteAddr());
        if (!locked.isZero()) {
            problems.resolveException(request, response, null, LoginLockedException.badTokenFromLockedAddress(locked));
            return;
        }
        log.info("{} {} -> 401: user token refused ({})", request.getMethod(), request.getRequestURI(), refused.reason());
        tokens.recordRefusal(refused);
        throttle.addressFailed(request.getRemoteAddr());
        problems.resolveException(request, response, null, new BearerTokenRefusedException("The bearer token " + refused.reason().phrase
                + ": make a new one on the API tokens page or with POST /api/v1/users/me/tokens (signed in with your password)"));
    }
}

package dev.fleetkey.service.logins;

import jakarta.servlet.Filter;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * What the security filter chains need from logins: the user-token filter for API chains, the answer to a
 * throttled password login (429 on the API, a message on the login form). The throttle itself sits in the one
 * authentication provider ({@link ThrottledPasswordLogins}), so every chain that checks passwords gets it.
 */
@Component
public class LoginSecurity {

    /** Where the login form sends a throttled login; the page reads the seconds to wait from the parameter. */
    public static final String LOCKED_URL = "/login?locked=";

    private final UserTokens tokens;
    private final LoginThrottle throttle;

    LoginSecurity(UserTokens tokens, LoginThrottle throttle) {
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /** A filter authenticating {@code Authorization: Bearer fku_...}; a new instance per chain. */
    public Filter userTokenFilter(HandlerExceptionResolver problems) {
        return new UserTokenFilter(tokens, throttle, problems);
    }

    /**
     * What an API entry point should hand to the problem details advice for {@code e}: a throttled login
     * becomes 429 with {@code Retry-After}; anything else stays as it is (401).
     */
    public static Exception problemFor(AuthenticationException e) {
        return e instanceof LoginThrottledException throttled ? LoginLockedException.passwordLogin(throttled) : e;
    }

    /** The login form's failure handler: back to the form with {@code ?error}, or {@code ?locked=<seconds>}. */
    public AuthenticationFailureHandler formLoginFailures() {
        SimpleUrlAuthenticationFailureHandler wrongPassword = new SimpleUrlAuthenticationFailureHandler("/login?error");
        return (request, response, e) -> {
            if (e instanceof LoginThrottledException throttled) {
                response.sendRedirect(request.getContextPath() + LOCKED_URL + throttled.retryAfterSeconds());
            } else {
                wrongPassword.onAuthenticationFailure(request, response, e);
            }
        };
    }
}

package dev.fleetkey.service.logins;

import dev.fleetkey.service.users.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Every password login (HTTP Basic on any API chain, the login form) passes here: the {@link LoginThrottle} is
 * asked first, and a locked user name or address is refused with {@link LoginThrottledException} without
 * running Argon2; otherwise the password is checked against the users table and the outcome counted. Being the
 * only {@link AuthenticationProvider} bean, Spring Security builds its one authentication manager from it.
 */
@Component
class ThrottledPasswordLogins implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(ThrottledPasswordLogins.class);

    private final DaoAuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledPasswordLogins(UserAccounts users, PasswordEncoder encoder, LoginThrottle throttle) {
        this.passwords = new DaoAuthenticationProvider(users::loadUserByUsername);
        this.passwords.setPasswordEncoder(encoder);
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication login) {
        String name = login.getName();
        String address = login.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        LoginThrottle.Check check = throttle.check(name, address);
        if (check.refusal().isPresent()) {
            LoginThrottledException refused = new LoginThrottledException(check.refusal().get());
            log.info("Password login for {} from {} refused unchecked: {}, retry in {} s",
                    LoginThrottle.printable(name), address, refused.getMessage(), refused.retryAfterSeconds());
            throw refused;
        }
        try {
            Authentication authenticated = passwords.authenticate(login);
            if (check.accountHasFailures()) {
                throttle.succeeded(name);
            }
            return authenticated;
        } catch (BadCredentialsException e) {
            throttle.failed(name, address);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

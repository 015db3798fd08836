package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.ApiException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The API answers for refused logins, as problem details written by the shared advice. */
final class LoginProblems extends ApiException {

    private static final long serialVersionUID = 1L;

    private LoginProblems(HttpStatus status, String type, String message, Map<String, String> headers) {
        super(status, type, null, message, headers);
    }

    /** 401 for a user token that is unknown, revoked, expired or whose user is disabled. */
    static ApiException badUserToken(String message) {
        return ApiException.badBearerToken(message);
    }

    /** 429 for a password login refused unchecked; {@code Retry-After} says when to try again. */
    static ApiException throttled(LoginThrottledException e) {
        String what = e.kind() == LoginThrottle.Kind.ACCOUNT ? "for this user name" : "from your address";
        return tooMany(e.retryAfterSeconds(), "Too many failed logins " + what + ": password logins are refused for "
                + e.retryAfterSeconds() + " more seconds (see Retry-After), whatever the password. An administrator can"
                + " unlock it on the Users page; a personal API token (Authorization: Bearer fku_...) still works");
    }

    /** 429 for a bad API token from an address locked after too many failures. */
    static ApiException addressLocked(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return tooMany(seconds, "Too many failed logins from your address: bearer tokens that are not valid are"
                + " refused unchecked for " + seconds + " more seconds (see Retry-After)");
    }

    private static ApiException tooMany(long seconds, String message) {
        return new LoginProblems(HttpStatus.TOO_MANY_REQUESTS, "login-throttled", message,
                Map.of("Retry-After", Long.toString(seconds)));
    }
}

package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.FleetkeyException;
import java.time.Duration;

/** Logins are refused unchecked after too many failures, until {@link #retryAfter()} has passed. */
public final class LoginLockedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    private LoginLockedException(Duration retryAfter, String message) {
        super("login-throttled", message);
        this.retryAfter = retryAfter;
    }

    /** A password login refused because its user name or source address is locked. */
    static LoginLockedException passwordLogin(LoginThrottledException e) {
        String what = e.kind() == LoginThrottle.Kind.ACCOUNT ? "for this user name" : "from your address";
        return new LoginLockedException(e.retryAfter(), "Too many failed logins " + what + ": password logins are"
                + " refused for " + e.retryAfterSeconds() + " more seconds (see Retry-After), whatever the password. An"
                + " administrator can unlock it on the Users page; a personal API token (Authorization: Bearer fku_...)"
                + " still works");
    }

    /** A bad API token from an address locked after too many failures. */
    public static LoginLockedException badTokenFromLockedAddress(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new LoginLockedException(retryAfter, "Too many failed logins from your address: bearer tokens that are"
                + " not valid are refused unchecked for " + seconds + " more seconds (see Retry-After)");
    }

    /** How long until a login may be tried again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

package dev.fleetkey.service.logins;

import java.time.Duration;
import org.springframework.security.authentication.AccountStatusException;

/**
 * A password login refused unchecked because its user name or source address is locked after too many
 * failures. An {@link AccountStatusException}, so Spring's provider manager stops at it and tries no other
 * provider. The message holds no secret.
 */
public final class LoginThrottledException extends AccountStatusException {

    private static final long serialVersionUID = 1L;
    private final transient LoginThrottle.Refusal refusal;

    LoginThrottledException(LoginThrottle.Refusal refusal) {
        super("Too many failed logins " + (refusal.kind() == LoginThrottle.Kind.ACCOUNT ? "for this user name" : "from this address"));
        this.refusal = refusal;
    }

    /** Whole seconds until a login may be tried again, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000);
    }

    /** What is locked: the user name or the source address. */
    public LoginThrottle.Kind kind() {
        return refusal.kind();
    }

    /** The same refusal as {@link Duration}. */
    public Duration retryAfter() {
        return refusal.retryAfter();
    }
}

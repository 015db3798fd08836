package dev.fleetkey.bundle;

import java.time.Instant;

/** The bundle is expired, or not valid yet (issued in the future beyond the allowed clock skew). */
public final class ValidityException extends BundleException {

    private final boolean expired;

    private ValidityException(String message, boolean expired) {
        super(expired ? "expired" : "not-yet-valid", message);
        this.expired = expired;
    }

    static ValidityException expired(Instant notAfter, Instant now) {
        return new ValidityException("bundle expired at " + notAfter + " (now " + now + ")", true);
    }

    static ValidityException notYetValid(Instant issuedAt, Instant now) {
        return new ValidityException("bundle is not valid before " + issuedAt + " (now " + now
                + "): check the device clock", false);
    }

    /** True when expired, false when not yet valid. */
    public boolean isExpired() {
        return expired;
    }
}

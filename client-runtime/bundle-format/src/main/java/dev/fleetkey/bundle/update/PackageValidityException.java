package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleException;
import java.time.Instant;

/** The package has expired (after its not-after), or may not be installed yet (before its not-before). */
public final class PackageValidityException extends BundleException {

    private final boolean expired;

    private PackageValidityException(String message, boolean expired) {
        super(expired ? "package-expired" : "package-not-yet-valid", message);
        this.expired = expired;
    }

    static PackageValidityException expired(Instant notAfter, Instant now) {
        return new PackageValidityException("update package expired at " + notAfter + " (now " + now
                + "): ask for a current release", true);
    }

    static PackageValidityException notYetValid(Instant notBefore, Instant now) {
        return new PackageValidityException("update package may not be installed before " + notBefore + " (now "
                + now + "): wait, or check the device clock", false);
    }

    /** True when expired, false when not valid yet. */
    public boolean isExpired() {
        return expired;
    }
}

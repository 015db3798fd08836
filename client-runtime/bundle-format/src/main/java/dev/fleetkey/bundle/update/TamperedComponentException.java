package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleException;

/** A component's bytes differ from the size and SHA-256 digest the signed manifest gives, or one is missing. */
public final class TamperedComponentException extends BundleException {

    public TamperedComponentException(String message) {
        super("tampered", message);
    }
}

package dev.fleetkey.bundle;

/** The signature does not match the content: the bundle was changed after signing. */
public final class BadSignatureException extends BundleException {

    public BadSignatureException(String message) {
        super("bad-signature", message);
    }
}

package dev.fleetkey.bundle;

/** The signer is not, and does not chain to, a trust anchor the device holds. */
public final class UntrustedSignerException extends BundleException {

    public UntrustedSignerException(String message) {
        super("untrusted-signer", message);
    }
}

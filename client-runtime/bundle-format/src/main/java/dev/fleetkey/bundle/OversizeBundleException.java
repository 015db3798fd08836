package dev.fleetkey.bundle;

/** The input is larger than a bundle may be; refused before any parsing. */
public final class OversizeBundleException extends BundleException {

    public OversizeBundleException(long size, long limit) {
        super("oversize", "bundle is " + size + " bytes, more than the limit of " + limit + " bytes");
    }
}

package dev.fleetkey.bundle;

/** A format version this code does not read, or an unknown critical field. */
public final class UnsupportedFormatException extends BundleException {

    public UnsupportedFormatException(String message) {
        super("unsupported-format", message);
    }
}

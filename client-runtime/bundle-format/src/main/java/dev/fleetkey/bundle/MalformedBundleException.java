package dev.fleetkey.bundle;

/** The bytes are not a well-formed bundle: not CMS SignedData, or a payload that breaks the schema. */
public final class MalformedBundleException extends BundleException {

    public MalformedBundleException(String message) {
        super("malformed", message);
    }

    public MalformedBundleException(String message, Throwable cause) {
        super("malformed", message, cause);
    }
}

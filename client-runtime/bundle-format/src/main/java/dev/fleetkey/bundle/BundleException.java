package dev.fleetkey.bundle;

/**
 * Root of every reason a bundle is refused. Each subclass is one failure an operator can act on;
 * messages never contain secret material.
 */
public abstract class BundleException extends Exception {

    private final String reason;

    /** @param reason the failure's {@link #reason()} */
    protected BundleException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    protected BundleException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short, stable name of the failure, for exit codes, logs and test vectors. */
    public final String reason() {
        return reason;
    }
}

package dev.fleetkey.bundle;

/**
 * Root of every reason a bundle is refused. Each subclass is one failure an operator can act on;
 * messages never contain secret material.
 */
public abstract class BundleException extends Exception {

    protected BundleException(String message) {
        super(message);
    }

    protected BundleException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short, stable name of the failure, for exit codes, logs and test vectors. */
    public abstract String reason();
}

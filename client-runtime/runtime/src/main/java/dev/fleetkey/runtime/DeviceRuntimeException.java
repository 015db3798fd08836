package dev.fleetkey.runtime;

/**
 * Root of every failure the device runtime reports. Each subclass names one thing a device operator
 * can act on; the message says what happened and what to check, and never contains a secret.
 */
public class DeviceRuntimeException extends Exception {

    /** @param message what failed and what to check */
    public DeviceRuntimeException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to check
     * @param cause   the underlying failure, kept for diagnostics
     */
    public DeviceRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}

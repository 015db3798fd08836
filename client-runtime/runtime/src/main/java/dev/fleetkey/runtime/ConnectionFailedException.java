package dev.fleetkey.runtime;

/**
 * The secure session failed for a reason other than a timeout or a received alert, e.g. the local
 * UDP socket could not be opened or this side aborted the handshake.
 */
public final class ConnectionFailedException extends DeviceRuntimeException {

    /** @param message what failed */
    public ConnectionFailedException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.fleetkey.runtime.state;

import dev.fleetkey.runtime.DeviceRuntimeException;

/** The device state directory is missing, not installed, already installed, or damaged; the message says which. */
public final class StateDirectoryException extends DeviceRuntimeException {

    /** @param message what is wrong with which file, and what to do */
    public StateDirectoryException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with which file, and what to do
     * @param cause the underlying failure
     */
    public StateDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}

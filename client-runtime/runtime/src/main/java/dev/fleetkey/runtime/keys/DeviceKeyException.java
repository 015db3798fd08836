package dev.fleetkey.runtime.keys;

import dev.fleetkey.runtime.DeviceRuntimeException;

/** A device key cannot be made, found or used: a token that does not open, a key label it does not hold, ... */
public final class DeviceKeyException extends DeviceRuntimeException {

    /** @param message what failed and what to check */
    public DeviceKeyException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to check
     * @param cause   the underlying failure
     */
    public DeviceKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}

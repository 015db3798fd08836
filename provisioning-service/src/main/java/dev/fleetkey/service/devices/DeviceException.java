package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;

/** A failure about one device, which it names by {@link #eui64()} (not found, revoked, exists, template gone). */
public abstract sealed class DeviceException extends FleetkeyException
        permits DeviceNotFoundException, DeviceRevokedException, DeviceExistsException, TemplateMissingException {

    private static final long serialVersionUID = 1L;

    private final Eui64 eui64;

    DeviceException(String reason, Eui64 eui64, String message) {
        super(reason, message);
        this.eui64 = eui64;
    }

    /** The device the failure is about. */
    public final Eui64 eui64() {
        return eui64;
    }
}

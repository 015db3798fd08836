package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;

/** No device with this EUI-64 is provisioned (or none the caller may see); the caller checks the EUI-64. */
public final class DeviceNotFoundException extends DeviceException {

    private static final long serialVersionUID = 1L;

    public DeviceNotFoundException(Eui64 eui64) {
        this(eui64, "No device " + eui64 + " is provisioned");
    }

    /** With a message that says whose devices were looked at. */
    public DeviceNotFoundException(Eui64 eui64, String message) {
        super("not-found", eui64, message);
    }
}

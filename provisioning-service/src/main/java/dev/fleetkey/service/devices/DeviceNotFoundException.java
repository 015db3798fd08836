package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;

/** No device with this EUI-64 is provisioned (or none the caller may see); the caller checks the EUI-64. */
public final class DeviceNotFoundException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Eui64 eui64;

    public DeviceNotFoundException(Eui64 eui64) {
        this(eui64, "No device " + eui64 + " is provisioned");
    }

    /** With a message that says whose devices were looked at. */
    public DeviceNotFoundException(Eui64 eui64, String message) {
        super(message);
        this.eui64 = eui64;
    }

    public Eui64 eui64() {
        return eui64;
    }

    @Override
    public String reason() {
        return "not-found";
    }
}

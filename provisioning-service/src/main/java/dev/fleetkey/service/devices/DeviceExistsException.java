package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;

/**
 * A device with this EUI-64 is provisioned already and keeps its identity; the caller fetches it (if it may) or
 * checks the EUI-64. {@link #visible()} says whether the caller may see the existing device.
 */
public final class DeviceExistsException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Eui64 eui64;
    private final boolean visible;

    public DeviceExistsException(Eui64 eui64, boolean visible, String message) {
        super(message);
        this.eui64 = eui64;
        this.visible = visible;
    }

    public Eui64 eui64() {
        return eui64;
    }

    /** Whether the caller may fetch the existing device (false: another station's). */
    public boolean visible() {
        return visible;
    }

    @Override
    public String reason() {
        return "device-exists";
    }
}

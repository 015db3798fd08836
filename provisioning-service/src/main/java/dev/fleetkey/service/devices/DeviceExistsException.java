package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;

/**
 * A device with this EUI-64 is provisioned already and keeps its identity; the caller fetches it (if it may) or
 * checks the EUI-64. {@link #visible()} says whether the caller may see the existing device.
 */
public final class DeviceExistsException extends DeviceException {

    private static final long serialVersionUID = 1L;

    private final boolean visible;

    public DeviceExistsException(Eui64 eui64, boolean visible, String message) {
        super("device-exists", eui64, message);
        this.visible = visible;
    }

    /** Whether the caller may fetch the existing device (false: another station's). */
    public boolean visible() {
        return visible;
    }
}

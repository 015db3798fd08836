package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;

/** The device is revoked: it gets no bundle and no new credential; provisioning it anew is the only way back. */
public final class DeviceRevokedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Eui64 eui64;

    public DeviceRevokedException(Eui64 eui64, String message) {
        super(message);
        this.eui64 = eui64;
    }

    public Eui64 eui64() {
        return eui64;
    }

    @Override
    public String reason() {
        return "device-revoked";
    }
}

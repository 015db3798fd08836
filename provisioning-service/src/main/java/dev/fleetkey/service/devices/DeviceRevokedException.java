package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;

/** The device is revoked: it gets no bundle and no new credential; provisioning it anew is the only way back. */
public final class DeviceRevokedException extends DeviceException {

    private static final long serialVersionUID = 1L;

    public DeviceRevokedException(Eui64 eui64, String message) {
        super("device-revoked", eui64, message);
    }
}

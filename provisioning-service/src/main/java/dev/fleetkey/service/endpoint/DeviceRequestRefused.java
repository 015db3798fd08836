package dev.fleetkey.service.endpoint;

/** A device asked for something it may not have (another device's data, or it is no longer active): 4.03. */
public class DeviceRequestRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message safe to send to the device: names what was refused, never a secret */
    public DeviceRequestRefused(String message) {
        super(message);
    }
}

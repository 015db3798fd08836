package dev.fleetkey.service.devices;

/**
 * What the manufacturing line knows about a device beyond its own rows, shown in a {@link DeviceRecord}: which
 * station provisioned it and what its end-of-line check said. The {@code stations} feature implements it.
 */
public interface ProductionLineFacts {

    /** Name of the station that provisioned {@code device}, or null when a user did. */
    String provisionedBy(Device device);

    /** The detail of the device's last end-of-line report, or null. */
    String endOfLineDetail(Device device);
}

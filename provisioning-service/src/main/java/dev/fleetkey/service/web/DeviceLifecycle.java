package dev.fleetkey.service.web;

import dev.fleetkey.bundle.Eui64;

/**
 * Revoke and rotate as the device page calls them. The interim implementation ({@link
 * InterimDeviceLifecycle}) revokes in the database; when the credentials service offers revoke and
 * rotate, an implementation delegating to it replaces the interim one.
 */
interface DeviceLifecycle {

    /** Marks the device and all its credentials revoked; the device endpoint stops accepting them. */
    void revoke(Eui64 eui64, String reason);

    /** Gives the device new credentials; the old ones stay valid until the template's overlap ends. */
    void rotate(Eui64 eui64);

    /** Whether {@link #rotate} is available in this build; the page offers it only then. */
    boolean rotationAvailable();
}

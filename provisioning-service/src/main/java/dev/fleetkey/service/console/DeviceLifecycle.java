package dev.fleetkey.service.console;

import dev.fleetkey.bundle.Eui64;
import java.time.Duration;

/** Revoke and rotate as the device page calls them; {@link RotationDeviceLifecycle} delegates to the credentials service. */
interface DeviceLifecycle {

    /** Marks the device and all its credentials revoked, recording why; the device endpoint stops accepting them. */
    void revoke(Eui64 eui64, String reason);

    /** Gives the device new credentials from its template; the old ones stay valid for {@code overlap}. */
    void rotate(Eui64 eui64, Duration overlap);
}

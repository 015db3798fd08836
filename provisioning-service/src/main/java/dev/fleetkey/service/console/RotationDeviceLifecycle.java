package dev.fleetkey.service.console;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.devices.CredentialRotation;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The device page's revoke and rotate, done by {@link CredentialRotation} (one transaction each, audited
 * there). Rotation from the page always lets the service make the keys: the UI takes no device public key.
 */
@Component
class RotationDeviceLifecycle implements DeviceLifecycle {

    private final CredentialRotation rotation;

    RotationDeviceLifecycle(CredentialRotation rotation) {
        this.rotation = rotation;
    }

    @Override
    public void revoke(Eui64 eui64, String reason) {
        rotation.revoke(eui64, reason);
    }

    @Override
    public void rotate(Eui64 eui64, Duration overlap) {
        rotation.rotate(eui64, overlap, null);
    }
}

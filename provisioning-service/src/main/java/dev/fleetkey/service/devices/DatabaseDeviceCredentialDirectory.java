package dev.fleetkey.service.devices;

import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import dev.fleetkey.service.endpoint.KnownDevice;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers the device endpoint during a PSK handshake from the database: which device holds this
 * identity, and what is its key. Read on every handshake, so a revoked credential or device is refused
 * on its next attempt.
 */
@Component
class DatabaseDeviceCredentialDirectory implements DeviceCredentialDirectory {

    private final DeviceRepository devices;
    private final DevicePsks psks;

    DatabaseDeviceCredentialDirectory(DeviceRepository devices, DevicePsks psks) {
        this.devices = devices;
        this.psks = psks;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByPskIdentity(byte[] identity) {
        if (identity == null || identity.length == 0) {
            return Optional.empty();
        }
        return devices.findActivePsk(identity).flatMap(credential -> devices.findById(credential.deviceId())
                .filter(device -> device.state() != Device.State.REVOKED)
                .map(device -> {
                    DevicePsks.OpenPsk open = psks.open(device.eui64(), credential);
                    byte[] key = open.key();
                    try {
                        return new KnownDevice(device.eui64(), open.identity(), key);
                    } finally {
                        Arrays.fill(key, (byte) 0);
                        open.wipe();
                    }
                }));
    }
}

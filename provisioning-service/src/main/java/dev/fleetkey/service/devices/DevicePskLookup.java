package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers the device endpoint's question during a PSK handshake: which device owns this identity, and
 * what is its key? Shaped like the endpoint's {@code DeviceCredentialDirectory} so the adapter is one line.
 */
@Component
public class DevicePskLookup {

    private final DeviceRepository devices;
    private final DevicePsks psks;

    DevicePskLookup(DeviceRepository devices, DevicePsks psks) {
        this.devices = devices;
        this.psks = psks;
    }

    /** A provisioned device's PSK; the caller wipes {@link #key()} after the handshake. */
    public record KnownDevice(Eui64 eui64, byte[] key) {
        public KnownDevice {
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KnownDevice k && eui64.equals(k.eui64) && Arrays.equals(key, k.key);
        }

        @Override
        public int hashCode() {
            return eui64.hashCode();
        }

        @Override
        public String toString() {
            return "KnownDevice[" + eui64 + ", key (redacted)]";
        }
    }

    /** The device holding the active PSK {@code identity}; empty for unknown or revoked identities. */
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
                        return new KnownDevice(device.eui64(), key);
                    } finally {
                        Arrays.fill(key, (byte) 0);
                        open.wipe();
                    }
                }));
    }
}

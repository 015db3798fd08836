package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The only place PSKs are opened: for a device's bundle and for a DTLS handshake. Callers get copies and
 * should wipe them when done.
 */
@Component
public class DevicePsks {

    private final DeviceRepository devices;
    private final PskSealing sealing;

    DevicePsks(DeviceRepository devices, PskSealing sealing) {
        this.devices = devices;
        this.sealing = sealing;
    }

    /** A server's PSK in clear; {@code toString} never shows the key. */
    public record OpenPsk(String serverName, byte[] identity, byte[] key) {
        public OpenPsk {
            identity = identity.clone();
            key = key.clone();
        }

        @Override
        public byte[] identity() {
            return identity.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        /** Overwrites the key held by this record. */
        public void wipe() {
            Arrays.fill(key, (byte) 0);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "OpenPsk[" + serverName + ", identity " + identity.length + " bytes, key (redacted)]";
        }
    }

    /** The active PSKs of {@code device}, one per PSK server of its template. */
    public List<OpenPsk> activePsks(Device device) {
        return devices.activeCredentials(device.id()).stream()
                .filter(c -> "PSK".equals(c.mode()))
                .map(c -> open(device.eui64(), c))
                .toList();
    }

    OpenPsk open(Eui64 eui64, DeviceCredential credential) {
        byte[] key = sealing.unseal(credential.sealedKey(), sealingContext(eui64, credential.serverName()));
        try {
            return new OpenPsk(credential.serverName(), credential.pskIdentity(), key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Binds a sealed PSK to its device and server, so a row copied elsewhere does not open. */
    static byte[] sealingContext(Eui64 eui64, String serverName) {
        return ("fleetkey-psk|" + eui64.canonical() + "|" + serverName).getBytes(StandardCharsets.UTF_8);
    }
}

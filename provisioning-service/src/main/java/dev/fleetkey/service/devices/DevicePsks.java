package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Opens a device's PSKs for a DTLS handshake or an admin's reveal. Callers get copies and should wipe them when done.
 */
@Component
public class DevicePsks {

    private final DeviceRepository devices;
    private final DeviceSecrets secrets;

    DevicePsks(DeviceRepository devices, DeviceSecrets secrets) {
        this.devices = devices;
        this.secrets = secrets;
    }

    /** A server's PSK in clear; {@code toString} never shows the key. */
    public record OpenPsk(String serverName, PskCredential credential) {

        /** Overwrites the key held by this record. */
        public void wipe() {
            credential.wipe();
        }
    }

    /** The PSKs {@code device} may use now (current ones and those in a rotation's overlap), oldest first. */
    public List<OpenPsk> activePsks(Device device) {
        return devices.activeCredentials(device.id()).stream()
                .filter(c -> c.mode() == CredentialMode.PSK)
                .map(c -> open(device.eui64(), c))
                .toList();
    }

    OpenPsk open(Eui64 eui64, DeviceCredential credential) {
        byte[] key = secrets.open(credential.sealedKey(), DeviceSecrets.Kind.PSK, eui64, credential.serverName());
        try {
            return new OpenPsk(credential.serverName(), new PskCredential(credential.pskIdentity(), key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}

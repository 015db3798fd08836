package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.pki.SealedSecretException;
import dev.fleetkey.service.pki.SecretSealer;
import org.springframework.stereotype.Component;

/**
 * Seals device secrets (PSKs, private keys the service made) for the database with the PKI's
 * {@link SecretSealer} (AES-256-GCM under the keystore's key-encryption key), and opens them again. The
 * context binds each secret to its kind, device and server: a sealed value copied into another row does
 * not open.
 */
@Component
public class DeviceSecrets {

    /** Names the sealer format and key-encryption key in {@code device_credentials.sealing_key_id}. */
    static final String SEALING_KEY_ID = "secret-sealer-1";

    private final SecretSealer sealer;

    DeviceSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** What a sealed secret is; part of its sealing context. */
    enum Kind {
        PSK("fleetkey-psk"), PRIVATE_KEY("fleetkey-device-key");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    SealedKey seal(byte[] secret, Kind kind, Eui64 device, String serverName) {
        return new SealedKey(SEALING_KEY_ID, sealer.seal(secret, context(kind, device, serverName)));
    }

    /**
     * Opens a sealed secret; the caller wipes the result when done.
     *
     * @throws IllegalStateException when the value was altered or belongs to another device or server
     */
    byte[] open(SealedKey sealed, Kind kind, Eui64 device, String serverName) {
        if (!SEALING_KEY_ID.equals(sealed.keyId())) {
            throw new IllegalStateException("A " + kind.label + " of device " + device + " was sealed by '"
                    + sealed.keyId() + "', which this service version does not read");
        }
        try {
            return sealer.open(sealed.ciphertext(), context(kind, device, serverName));
        } catch (SealedSecretException e) {
            throw new IllegalStateException("The sealed " + kind.label + " of device " + device + " for server '"
                    + serverName + "' does not open: altered, or bound to another device", e);
        }
    }

    private static String context(Kind kind, Eui64 device, String serverName) {
        return kind.label + "|" + device.canonical() + "|" + serverName;
    }
}

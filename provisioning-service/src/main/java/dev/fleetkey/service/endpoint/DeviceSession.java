package dev.fleetkey.service.endpoint;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;

/**
 * Who is asking, as the DTLS session proved it: never taken from a request's payload, so a device can only
 * ever act as itself.
 *
 * @param device        the authenticated device
 * @param mode          how it authenticated
 * @param cipherSuite   the negotiated suite, e.g. {@code TLS_PSK_WITH_AES_128_CCM_8}
 * @param remoteAddress the UDP source, {@code ip:port}
 * @param sessionKey    the public key the device proved it holds (raw public key or certificate), or null for PSK
 */
public record DeviceSession(Eui64 device, CredentialMode mode, String cipherSuite, String remoteAddress,
                            PublicKey sessionKey) {

    public DeviceSession {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** The key the device holds its private half of, to seal secrets for; empty for PSK devices. */
    public Optional<PublicKey> sealingKey() {
        return Optional.ofNullable(sessionKey);
    }
}

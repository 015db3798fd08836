package dev.fleetkey.service.endpoint;

import java.security.PublicKey;
import java.util.Arrays;
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
 * @param pskIdentity   the PSK identity it authenticated with, or null (not secret, but copied)
 */
public record DeviceSession(Eui64 device, CredentialMode mode, String cipherSuite, String remoteAddress,
                            PublicKey sessionKey, byte[] pskIdentity) {

    public DeviceSession {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
    }

    @Override
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /**
     * Whether this session authenticated with the credential described by {@code pskIdentity} (PSK) or
     * {@code subjectPublicKeyInfo} (raw public key, certificate).
     */
    public boolean authenticatedWith(byte[] credentialPskIdentity, byte[] subjectPublicKeyInfo) {
        if (pskIdentity != null) {
            return Arrays.equals(pskIdentity, credentialPskIdentity);
        }
        return sessionKey != null && Arrays.equals(sessionKey.getEncoded(), subjectPublicKeyInfo);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceSession && ((DeviceSession) other).device.equals(device)
                && ((DeviceSession) other).mode == mode && ((DeviceSession) other).cipherSuite.equals(cipherSuite)
                && ((DeviceSession) other).remoteAddress.equals(remoteAddress)
                && Objects.equals(((DeviceSession) other).sessionKey, sessionKey)
                && Arrays.equals(((DeviceSession) other).pskIdentity, pskIdentity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(device, mode, remoteAddress);
    }

    @Override
    public String toString() {
        return "DeviceSession[" + device + ", " + mode + ", " + cipherSuite + ", from " + remoteAddress + "]";
    }

    /** The key the device holds its private half of, to seal secrets for; empty for PSK devices. */
    public Optional<PublicKey> sealingKey() {
        return Optional.ofNullable(sessionKey);
    }
}

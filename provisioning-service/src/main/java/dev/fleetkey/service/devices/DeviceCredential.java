package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.CredentialMode;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A device's credential for one server of its template. Secrets (a PSK, or a private key the service
 * made) stay sealed here; only {@link DeviceSecrets} opens them, when a bundle or a handshake needs them.
 *
 * @param material          what the credential is, by mode: a PSK identity, a raw public key, or a certificate
 * @param sealedKey         the sealed PSK or private key; null when the key was made on the device or discarded
 * @param secretDiscardedAt when a service-made private key was deleted after delivery
 * @param validUntil        end of a rotation's overlap; null while this is the device's current credential
 * @param revocationReason  why it was revoked, with {@code revokedAt}
 */
public record DeviceCredential(long id, long deviceId, String serverName, CredentialMaterial material,
        SealedKey sealedKey, Instant createdAt, Instant revokedAt, Instant secretDiscardedAt, Instant validUntil,
        String revocationReason) {

    /** Who made a raw-public-key or certificate credential's key pair. */
    public enum KeyOrigin { SERVICE, DEVICE }

    public DeviceCredential {
        Objects.requireNonNull(material, "material");
    }

    /** The credential mode. */
    public CredentialMode mode() {
        return material.mode();
    }

    /** PSK mode: the identity; null for other modes. */
    public byte[] pskIdentity() {
        return material instanceof CredentialMaterial.Psk psk ? psk.identity() : null;
    }

    /** RPK and X.509: the device's SubjectPublicKeyInfo DER; null for PSK. */
    public byte[] publicKey() {
        return material instanceof CredentialMaterial.RawPublicKey rpk ? rpk.publicKey()
                : material instanceof CredentialMaterial.Certificate x509 ? x509.publicKey() : null;
    }

    /** X.509: the client certificate DER; null for other modes. */
    public byte[] certificate() {
        return material instanceof CredentialMaterial.Certificate x509 ? x509.certificate() : null;
    }

    /** X.509: the certificate's serial in lower-case hex; null for other modes. */
    public String certificateSerial() {
        return material instanceof CredentialMaterial.Certificate x509 ? x509.serialHex() : null;
    }

    /** RPK and X.509: who made the key pair; null for PSK. */
    public KeyOrigin keyOrigin() {
        return material instanceof CredentialMaterial.RawPublicKey rpk ? rpk.keyOrigin()
                : material instanceof CredentialMaterial.Certificate x509 ? x509.keyOrigin() : null;
    }

    /** The PSK identity as lower-case hex, or null for other modes. */
    public String pskIdentityHex() {
        return material instanceof CredentialMaterial.Psk psk ? HexFormat.of().formatHex(psk.identity()) : null;
    }

    /** The RPK pin (SHA-256 of the SPKI) as lower-case hex, or null for PSK. */
    public String publicKeySha256Hex() {
        return material instanceof CredentialMaterial.RawPublicKey rpk ? HexFormat.of().formatHex(rpk.publicKeySha256())
                : material instanceof CredentialMaterial.Certificate x509
                ? HexFormat.of().formatHex(x509.publicKeySha256()) : null;
    }

    /** Whether a device may still authenticate with it at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (validUntil == null || validUntil.isAfter(now));
    }

    /** Whether it is the device's current credential (not revoked, not being rotated out). */
    public boolean current() {
        return revokedAt == null && validUntil == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCredential c && id == c.id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + id + " device " + deviceId + " " + serverName + " " + mode() + " " + material
                + (revokedAt == null ? "" : " revoked") + (validUntil == null ? "" : " valid until " + validUntil)
                + "]";
    }
}

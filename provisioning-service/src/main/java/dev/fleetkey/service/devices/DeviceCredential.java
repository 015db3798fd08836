package dev.fleetkey.service.devices;

import java.time.Instant;
import java.util.HexFormat;

/**
 * A device's credential for one server of its template. Secrets (a PSK, or a private key the service
 * made) stay sealed here; only {@link DeviceSecrets} opens them, when a bundle or a handshake needs them.
 *
 * @param pskIdentity       PSK mode: the identity; else null
 * @param sealedKey         the sealed PSK or private key; null when the key was made on the device or discarded
 * @param publicKey         RPK and X.509: the device's SubjectPublicKeyInfo DER; else null
 * @param publicKeySha256   SHA-256 of {@code publicKey}: the RPK pin
 * @param certificate       X.509: the client certificate DER; else null
 * @param certificateSerial X.509: the certificate's serial in lower-case hex
 * @param keyOrigin         RPK and X.509: who made the key pair
 * @param secretDiscardedAt when a service-made private key was deleted after delivery
 * @param validUntil        end of a rotation's overlap; null while this is the device's current credential
 * @param revocationReason  why it was revoked, with {@code revokedAt}
 */
public record DeviceCredential(long id, long deviceId, String serverName, String mode, byte[] pskIdentity,
        SealedKey sealedKey, Instant createdAt, Instant revokedAt, byte[] publicKey, byte[] publicKeySha256,
        byte[] certificate, String certificateSerial, KeyOrigin keyOrigin, Instant secretDiscardedAt,
        Instant validUntil, String revocationReason) {

    /** Who made a raw-public-key or certificate credential's key pair. */
    public enum KeyOrigin { SERVICE, DEVICE }

    public DeviceCredential {
        pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        publicKey = publicKey == null ? null : publicKey.clone();
        publicKeySha256 = publicKeySha256 == null ? null : publicKeySha256.clone();
        certificate = certificate == null ? null : certificate.clone();
    }

    @Override
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    @Override
    public byte[] publicKeySha256() {
        return publicKeySha256 == null ? null : publicKeySha256.clone();
    }

    @Override
    public byte[] certificate() {
        return certificate == null ? null : certificate.clone();
    }

    /** The PSK identity as lower-case hex, or null for other modes. */
    public String pskIdentityHex() {
        return pskIdentity == null ? null : HexFormat.of().formatHex(pskIdentity);
    }

    /** The RPK pin (SHA-256 of the SPKI) as lower-case hex, or null for PSK. */
    public String publicKeySha256Hex() {
        return publicKeySha256 == null ? null : HexFormat.of().formatHex(publicKeySha256);
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
        return "DeviceCredential[" + id + " device " + deviceId + " " + serverName + " " + mode
                + (pskIdentity == null ? "" : " identity " + pskIdentityHex())
                + (certificateSerial == null ? "" : " serial " + certificateSerial)
                + (revokedAt == null ? "" : " revoked") + (validUntil == null ? "" : " valid until " + validUntil)
                + "]";
    }
}

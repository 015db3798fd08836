package dev.fleetkey.service.devices;

import java.time.Instant;
import java.util.HexFormat;

/**
 * A device's credential for one server of its template. For PSK the key stays sealed here; only
 * {@link DevicePsks} opens it, when a bundle or a handshake needs it.
 */
public record DeviceCredential(long id, long deviceId, String serverName, String mode, byte[] pskIdentity,
        SealedKey sealedKey, Instant createdAt, Instant revokedAt) {

    public DeviceCredential {
        pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
    }

    @Override
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** The PSK identity as lower-case hex, or null for other modes. */
    public String pskIdentityHex() {
        return pskIdentity == null ? null : HexFormat.of().formatHex(pskIdentity);
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
                + (pskIdentity == null ? "" : " identity " + pskIdentityHex()) + (revokedAt == null ? "" : " revoked")
                + "]";
    }
}

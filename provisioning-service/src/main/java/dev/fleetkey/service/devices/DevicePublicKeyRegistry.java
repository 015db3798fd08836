package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.system.UniqueClaims;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Binds public keys to devices in {@code device_public_keys}, whose primary key (the SHA-256 of the DER
 * SubjectPublicKeyInfo) lets a key be bound to one device only, in every service instance. Rows are never
 * removed: a key that was revoked or rotated out is never bound again, not even to the same device. Keys the
 * service makes are registered too, so a key submitted for a device can never be one the service gave another.
 *
 * <p>Callers hold the transaction that writes the credential; the insert is a {@link UniqueClaims claim}, so after
 * a refusal the holder can still be read, and a registration for a provisioning that rolls back disappears with it.
 */
@Component
class DevicePublicKeyRegistry {

    private final JdbcClient jdbc;
    private final DeviceRepository devices;
    private final UniqueClaims claims;

    DevicePublicKeyRegistry(JdbcClient jdbc, DeviceRepository devices, UniqueClaims claims) {
        this.jdbc = jdbc;
        this.devices = devices;
        this.claims = claims;
    }

    /**
     * Binds the key to {@code device} for good.
     *
     * @param subjectPublicKeyInfo DER, as {@code PublicKey.getEncoded()} writes it (one encoding per key)
     * @throws PublicKeyInUseException if the key is or was bound to any device, this one included
     */
    void register(byte[] subjectPublicKeyInfo, Device device) {
        byte[] sha256 = Sha256.digest(subjectPublicKeyInfo);
        boolean claimed = claims.claim(jdbc.sql("""
                INSERT INTO device_public_keys (spki_sha256, device_id, registered_at) VALUES (:sha, :device, :at)""")
                .param("sha", sha256)
                .param("device", device.id())
                .param("at", Instant.now().atOffset(ZoneOffset.UTC)));
        if (!claimed) {
            Device holder = jdbc.sql("SELECT device_id FROM device_public_keys WHERE spki_sha256 = :sha")
                    .param("sha", sha256).query(Long.class).optional().flatMap(devices::findById).orElse(null);
            throw new PublicKeyInUseException(sha256, holder, device, null);
        }
    }
}

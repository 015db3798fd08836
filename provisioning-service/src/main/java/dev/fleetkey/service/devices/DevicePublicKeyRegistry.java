package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.system.ChunkWrites;
import dev.fleetkey.service.system.UniqueClaims;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
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

    private static final String INSERT = """
            INSERT INTO device_public_keys (spki_sha256, device_id, registered_at) VALUES (:sha, :device, :at)""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final DeviceRepository devices;
    private final UniqueClaims claims;

    DevicePublicKeyRegistry(JdbcClient jdbc, NamedParameterJdbcTemplate batch, DeviceRepository devices,
            UniqueClaims claims) {
        this.jdbc = jdbc;
        this.batch = batch;
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
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("sha", sha256).addValue("device", device.id())
                .addValue("at", Instant.now().atOffset(ZoneOffset.UTC));
        Optional<ChunkWrites> chunk = ChunkWrites.current();
        boolean claimed;
        if (chunk.isPresent()) {
            // checked against the chunk's other keys now, against every other key by the primary key at the chunk's
            // insert (a conflict there fails the chunk's batch, which is then provisioned item by item)
            claimed = chunk.get().claim("device_public_keys", ByteBuffer.wrap(sha256));
            if (claimed) {
                chunk.get().add("device_public_keys",
                        rows -> batch.batchUpdate(INSERT, rows.toArray(SqlParameterSource[]::new)), row);
            }
        } else {
            claimed = claims.claim(jdbc.sql(INSERT).paramSource(row));
        }
        if (!claimed) {
            Device holder = jdbc.sql("SELECT device_id FROM device_public_keys WHERE spki_sha256 = :sha")
                    .param("sha", sha256).query(Long.class).optional().flatMap(devices::findById).orElse(null);
            throw new PublicKeyInUseException(sha256, holder, device, null);
        }
    }
}

package dev.fleetkey.service.bundles;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.system.ChunkWrites;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Repository;

/**
 * Sequence numbers and the record of every bundle issued ({@code bundle_sequences}, {@code bundles_issued}).
 * Callers that write hold a transaction; other features read the record through the public queries.
 */
@Repository
public class BundleLedger {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final DeviceRepository devices;

    BundleLedger(JdbcClient jdbc, NamedParameterJdbcTemplate batch, DeviceRepository devices) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.devices = devices;
    }

    /** When the device bundle with this sequence was issued to the device, if it was. */
    public Optional<Instant> deviceBundleIssuedAt(long deviceId, long sequence) {
        return jdbc.sql("SELECT issued_at FROM bundles_issued WHERE device_id = :device AND kind = 'DEVICE'"
                        + " AND sequence_number = :seq")
                .param("device", deviceId).param("seq", sequence)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    /**
     * The next sequence number for the device and kind, starting at 1. The device row is locked first,
     * so concurrent issues for one device queue up instead of racing for the first number. A device this
     * transaction inserted has no number yet and no other transaction can see it: its first is 1, written
     * without a lock or a read (the row is there for the next issue to count on, and commits with the device).
     */
    long nextSequence(long deviceId, BundleKind kind) {
        if (kind == BundleKind.DEVICE && devices.takeNewInThisTransaction(deviceId)) {
            String first = "INSERT INTO bundle_sequences (device_id, kind, last_sequence) VALUES (:id, :kind, 1)";
            write("bundle_sequences", first, new MapSqlParameterSource().addValue("id", deviceId)
                    .addValue("kind", kind.name()));
            return 1;
        }
        devices.lock(deviceId);
        int updated = jdbc.sql("""
                UPDATE bundle_sequences SET last_sequence = last_sequence + 1 WHERE device_id = :id AND kind = :kind""")
                .param("id", deviceId).param("kind", kind.name())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO bundle_sequences (device_id, kind, last_sequence) VALUES (:id, :kind, 1)")
                    .param("id", deviceId).param("kind", kind.name())
                    .update();
        }
        return jdbc.sql("SELECT last_sequence FROM bundle_sequences WHERE device_id = :id AND kind = :kind")
                .param("id", deviceId).param("kind", kind.name())
                .query(Long.class).single();
    }

    /** Records an issued bundle; in a batch's chunk, with the chunk's others in one JDBC batch. */
    void record(long deviceId, BundlePayload payload, byte[] digest) {
        write("bundles_issued", """
                INSERT INTO bundles_issued (device_id, kind, sequence_number, bundle_id, digest_sha256, issued_at, not_after, issued_by)
                VALUES (:device, :kind, :seq, :bundleId, :digest, :issuedAt, :notAfter, :issuedBy)""",
                new MapSqlParameterSource()
                        .addValue("device", deviceId)
                        .addValue("kind", payload.kind().name())
                        .addValue("seq", payload.sequence())
                        .addValue("bundleId", payload.bundleId())
                        .addValue("digest", digest)
                        .addValue("issuedAt", payload.issuedAt().atOffset(ZoneOffset.UTC))
                        .addValue("notAfter", payload.notAfter().atOffset(ZoneOffset.UTC))
                        .addValue("issuedBy", issuer()));
    }

    /** Runs {@code sql} now, or queues it with the other rows of {@code table} when a batch's chunk collects them. */
    private void write(String table, String sql, MapSqlParameterSource row) {
        ChunkWrites.current().ifPresentOrElse(
                chunk -> chunk.add(table, rows -> batch.batchUpdate(sql, rows.toArray(SqlParameterSource[]::new)), row),
                () -> jdbc.sql(sql).paramSource(row).update());
    }

    private static String issuer() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.isAuthenticated() ? auth.getName() : "system";
    }
}

package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.Eui64;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code device_checkins} table, and the issue dates of device bundles a check-in names. */
@Repository
class CheckinRepository {

    private static final String SELECT = "SELECT d.eui64, c.checked_in_at, c.mode, c.cipher_suite, c.remote_address,"
            + " c.firmware_version, c.device_sequence, c.fleet_sequence FROM device_checkins c"
            + " JOIN devices d ON d.id = c.device_id";

    private final JdbcClient jdbc;

    CheckinRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long deviceId, Checkin checkin) {
        jdbc.sql("""
                INSERT INTO device_checkins (device_id, checked_in_at, mode, cipher_suite, remote_address,
                    firmware_version, device_sequence, fleet_sequence)
                VALUES (:device, :at, :mode, :suite, :remote, :firmware, :deviceSeq, :fleetSeq)""")
                .param("device", deviceId)
                .param("at", checkin.checkedInAt().atOffset(ZoneOffset.UTC))
                .param("mode", checkin.mode())
                .param("suite", checkin.cipherSuite())
                .param("remote", checkin.remoteAddress())
                .param("firmware", checkin.firmwareVersion())
                .param("deviceSeq", checkin.deviceSequence())
                .param("fleetSeq", checkin.fleetSequence())
                .update();
    }

    List<Checkin> latest(int limit) {
        return jdbc.sql(SELECT + " ORDER BY c.checked_in_at DESC, c.id DESC FETCH FIRST :limit ROWS ONLY")
                .param("limit", limit).query(CheckinRepository::row).list();
    }

    List<Checkin> latestOf(long deviceId, int limit) {
        return jdbc.sql(SELECT + " WHERE c.device_id = :device ORDER BY c.checked_in_at DESC, c.id DESC"
                        + " FETCH FIRST :limit ROWS ONLY")
                .param("device", deviceId).param("limit", limit).query(CheckinRepository::row).list();
    }

    /** When the device bundle with this sequence was issued to the device, if it was. */
    Optional<Instant> deviceBundleIssuedAt(long deviceId, long sequence) {
        return jdbc.sql("SELECT issued_at FROM bundles_issued WHERE device_id = :device AND kind = 'DEVICE'"
                        + " AND sequence_number = :seq")
                .param("device", deviceId).param("seq", sequence)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    private static Checkin row(ResultSet rs, int n) throws SQLException {
        return new Checkin(Eui64.parse(rs.getString("eui64")),
                rs.getObject("checked_in_at", OffsetDateTime.class).toInstant(), rs.getString("mode"),
                rs.getString("cipher_suite"), rs.getString("remote_address"), rs.getString("firmware_version"),
                rs.getObject("device_sequence", Long.class), rs.getObject("fleet_sequence", Long.class));
    }
}

package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.devices.DeviceRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code device_checkins} table. */
@Repository
class CheckinRepository {

    private static final String SELECT = "SELECT c.device_id, c.checked_in_at, c.mode, c.cipher_suite, c.remote_address,"
            + " c.firmware_version, c.device_sequence, c.fleet_sequence FROM device_checkins c";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final DeviceRepository devices;

    CheckinRepository(JdbcClient jdbc, JdbcTemplate batches, DeviceRepository devices) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.devices = devices;
    }

    /** Inserts check-ins (device id, check-in) as one JDBC batch in the caller's transaction. */
    void insertAll(List<Map.Entry<Long, Checkin>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        batches.batchUpdate("""
                INSERT INTO device_checkins (device_id, checked_in_at, mode, cipher_suite, remote_address,
                    firmware_version, device_sequence, fleet_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows.stream().map(row -> {
                    Checkin checkin = row.getValue();
                    return new Object[] {row.getKey(), checkin.checkedInAt().atOffset(ZoneOffset.UTC), checkin.mode(),
                        checkin.cipherSuite(), checkin.remoteAddress(), checkin.firmwareVersion(),
                        checkin.deviceSequence(), checkin.fleetSequence()};
                }).toList());
    }

    List<Checkin> latest(int limit) {
        return withEui64s(jdbc.sql(SELECT + " ORDER BY c.checked_in_at DESC, c.id DESC FETCH FIRST :limit ROWS ONLY")
                .param("limit", limit).query(CheckinRepository::row).list());
    }

    List<Checkin> latestOf(long deviceId, int limit) {
        return withEui64s(jdbc.sql(SELECT + " WHERE c.device_id = :device ORDER BY c.checked_in_at DESC, c.id DESC"
                        + " FETCH FIRST :limit ROWS ONLY")
                .param("device", deviceId).param("limit", limit).query(CheckinRepository::row).list());
    }

    /** A check-in row names its device by id; the devices feature knows its EUI-64. */
    private record Row(long deviceId, Instant checkedInAt, String mode, String cipherSuite, String remoteAddress,
                       String firmwareVersion, Long deviceSequence, Long fleetSequence) {
    }

    private List<Checkin> withEui64s(List<Row> rows) {
        Map<Long, Eui64> eui64s = devices.eui64s(rows.stream().map(Row::deviceId).toList());
        return rows.stream().map(r -> new Checkin(eui64s.get(r.deviceId()), r.checkedInAt(), r.mode(), r.cipherSuite(),
                r.remoteAddress(), r.firmwareVersion(), r.deviceSequence(), r.fleetSequence())).toList();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong("device_id"),
                rs.getObject("checked_in_at", OffsetDateTime.class).toInstant(), rs.getString("mode"),
                rs.getString("cipher_suite"), rs.getString("remote_address"), rs.getString("firmware_version"),
                rs.getObject("device_sequence", Long.class), rs.getObject("fleet_sequence", Long.class));
    }
}

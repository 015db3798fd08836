package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Devices and their credentials in the database; plain SQL that runs on H2 and PostgreSQL. */
@Repository
public class DeviceRepository {

    private static final String DEVICE_COLUMNS = "id, eui64, template_id, template_version, state, created_at";
    private static final String CREDENTIAL_COLUMNS =
            "id, device_id, server_name, mode, psk_identity, sealed_secret, sealing_key_id, created_at, revoked_at";

    private final JdbcClient jdbc;

    DeviceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many devices exist. */
    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM devices").query(Long.class).single();
    }

    public Optional<Device> findByEui64(Eui64 eui64) {
        return jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE eui64 = :eui64")
                .param("eui64", eui64.canonical())
                .query(DeviceRepository::device)
                .optional();
    }

    /** The credentials of {@code deviceId} that are not revoked, in the order they were made. */
    public List<DeviceCredential> activeCredentials(long deviceId) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                        + " WHERE device_id = :id AND revoked_at IS NULL ORDER BY id")
                .param("id", deviceId)
                .query(DeviceRepository::credential)
                .list();
    }

    Optional<DeviceCredential> findActivePsk(byte[] identity) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                        + " WHERE psk_identity = :identity AND mode = 'PSK' AND revoked_at IS NULL")
                .param("identity", identity)
                .query(DeviceRepository::credential)
                .optional();
    }

    Optional<Device> findById(long id) {
        return jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE id = :id")
                .param("id", id)
                .query(DeviceRepository::device)
                .optional();
    }

    boolean pskIdentityExists(byte[] identity) {
        return jdbc.sql("SELECT COUNT(*) FROM device_credentials WHERE psk_identity = :identity")
                .param("identity", identity)
                .query(Long.class).single() > 0;
    }

    Device insertDevice(Eui64 eui64, String templateId, int templateVersion, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at)
                VALUES (:eui64, :template, :version, 'PROVISIONED', :now, :now)""")
                .param("eui64", eui64.canonical())
                .param("template", templateId)
                .param("version", templateVersion)
                .param("now", utc(now))
                .update(key, "id");
        long id = key.getKeyAs(Long.class);
        return new Device(id, eui64, templateId, templateVersion, Device.State.PROVISIONED, now);
    }

    void insertPskCredential(long deviceId, String serverName, byte[] identity, SealedKey sealed, Instant now) {
        jdbc.sql("""
                INSERT INTO device_credentials (device_id, server_name, mode, psk_identity, sealed_secret, sealing_key_id, created_at)
                VALUES (:device, :server, 'PSK', :identity, :sealed, :keyId, :now)""")
                .param("device", deviceId)
                .param("server", serverName)
                .param("identity", identity)
                .param("sealed", sealed.ciphertext())
                .param("keyId", sealed.keyId())
                .param("now", utc(now))
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Device device(ResultSet rs, int row) throws SQLException {
        return new Device(rs.getLong("id"), Eui64.parse(rs.getString("eui64")), rs.getString("template_id"),
                rs.getInt("template_version"), Device.State.valueOf(rs.getString("state")), instant(rs, "created_at"));
    }

    private static DeviceCredential credential(ResultSet rs, int row) throws SQLException {
        byte[] sealed = rs.getBytes("sealed_secret");
        return new DeviceCredential(rs.getLong("id"), rs.getLong("device_id"), rs.getString("server_name"),
                rs.getString("mode"), rs.getBytes("psk_identity"),
                sealed == null ? null : new SealedKey(rs.getString("sealing_key_id"), sealed),
                instant(rs, "created_at"), instant(rs, "revoked_at"));
    }
}

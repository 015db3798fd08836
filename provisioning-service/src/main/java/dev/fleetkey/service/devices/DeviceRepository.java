package dev.fleetkey.service.devices;

import static dev.fleetkey.service.system.UtcColumns.instant;
import static dev.fleetkey.service.system.UtcColumns.utc;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.endpoint.CredentialChangeLog;
import dev.fleetkey.service.pki.HierarchyDependents;
import dev.fleetkey.service.pki.RevokedCertificates;
import dev.fleetkey.service.system.ChunkWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Devices and their credentials in the database; plain SQL that runs on H2 and PostgreSQL. */
@Repository
public class DeviceRepository implements HierarchyDependents, RevokedCertificates {

    private static final String DEVICE_COLUMNS = "id, eui64, template_id, template_version, state, created_at";
    private static final String CREDENTIAL_COLUMNS = "id, device_id, server_name, mode, psk_identity, sealed_secret,"
            + " sealing_key_id, created_at, revoked_at, public_key, public_key_sha256, certificate, certificate_serial,"
            + " key_origin, secret_discarded_at, valid_until, revocation_reason";
    /** Usable now: not revoked, and not past a rotation's overlap deadline. */
    private static final String USABLE = " revoked_at IS NULL AND (valid_until IS NULL OR valid_until > :now)";

    private final JdbcClient jdbc;
    // every change that can withdraw a credential the device endpoint has cached is recorded there too
    private final CredentialChangeLog endpointChanges;
    private final NewInTransaction newDevices;
    private final NamedParameterJdbcTemplate batch;

    DeviceRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch, CredentialChangeLog endpointChanges,
            DataSource dataSource) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.endpointChanges = endpointChanges;
        this.newDevices = new NewInTransaction(dataSource);
    }

    /** How many devices exist. */
    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM devices").query(Long.class).single();
    }

    /** Device certificates and raw public keys: what a new CA hierarchy would break. */
    @Override
    public long credentialsDependingOnHierarchy() {
        return jdbc.sql("SELECT COUNT(*) FROM device_credentials WHERE mode <> 'PSK'").query(Long.class).single();
    }

    /**
     * Device certificates revoked, or rotated out with their overlap over by {@code now} (reason superseded, since
     * the overlap's end), oldest first.
     */
    @Override
    public List<Revoked> revokedCertificates(Instant now) {
        return jdbc.sql("SELECT certificate, revoked_at, valid_until, revocation_reason FROM device_credentials"
                        + " WHERE mode = 'X509' AND (revoked_at IS NOT NULL OR valid_until <= :now) ORDER BY id")
                .param("now", utc(now))
                .query((rs, row) -> {
                    Instant revokedAt = instant(rs, "revoked_at");
                    return revokedAt != null
                            ? new Revoked(rs.getBytes("certificate"), revokedAt,
                                    RevocationReasons.of(rs.getString("revocation_reason")))
                            : new Revoked(rs.getBytes("certificate"), instant(rs, "valid_until"), Reason.SUPERSEDED);
                })
                .list();
    }

    public Optional<Device> findByEui64(Eui64 eui64) {
        return jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE eui64 = :eui64")
                .param("eui64", eui64.canonical())
                .query(DeviceRepository::device)
                .optional();
    }

    /** The devices with these EUI-64s, by EUI-64 (those of no device are left out): one query for a batch's chunk. */
    public Map<Eui64, Device> findByEui64s(Collection<Eui64> eui64s) {
        if (eui64s.isEmpty()) {
            return Map.of();
        }
        Map<Eui64, Device> found = new HashMap<>();
        jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE eui64 IN (:eui64s)")
                .param("eui64s", eui64s.stream().map(Eui64::canonical).distinct().toList())
                .query(DeviceRepository::device)
                .list().forEach(d -> found.put(d.eui64(), d));
        return found;
    }

    /** The credentials of {@code deviceId} a device may use now (current ones and those in overlap), oldest first. */
    public List<DeviceCredential> activeCredentials(long deviceId) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials WHERE device_id = :id AND" + USABLE
                        + " ORDER BY id")
                .param("id", deviceId).param("now", utc(Instant.now()))
                .query(DeviceRepository::credential)
                .list();
    }

    /** Every credential of {@code deviceId}, revoked and expired ones too, oldest first. */
    public List<DeviceCredential> allCredentials(long deviceId) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials WHERE device_id = :id ORDER BY id")
                .param("id", deviceId)
                .query(DeviceRepository::credential)
                .list();
    }

    /** The device's current credentials: one per server, not revoked and not being rotated out. */
    public List<DeviceCredential> currentCredentials(long deviceId) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                        + " WHERE device_id = :id AND revoked_at IS NULL AND valid_until IS NULL ORDER BY id")
                .param("id", deviceId)
                .query(DeviceRepository::credential)
                .list();
    }

    /** {@link #currentCredentials(long)} of several devices in one query, by device id (each list oldest first). */
    Map<Long, List<DeviceCredential>> currentCredentials(Collection<Long> deviceIds) {
        Map<Long, List<DeviceCredential>> byDevice = new HashMap<>();
        deviceIds.forEach(id -> byDevice.put(id, new ArrayList<>()));
        if (!deviceIds.isEmpty()) {
            jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                            + " WHERE device_id IN (:ids) AND revoked_at IS NULL AND valid_until IS NULL ORDER BY id")
                    .param("ids", List.copyOf(deviceIds))
                    .query(DeviceRepository::credential)
                    .list().forEach(c -> byDevice.get(c.deviceId()).add(c));
        }
        return byDevice;
    }

    Optional<DeviceCredential> findUsablePsk(byte[] identity) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                        + " WHERE psk_identity = :identity AND mode = 'PSK' AND" + USABLE)
                .param("identity", identity).param("now", utc(Instant.now()))
                .query(DeviceRepository::credential)
                .optional();
    }

    /** Every credential, revoked and rotated-out ones too, whose public key has this SHA-256. */
    List<DeviceCredential> findAllByPublicKeySha256(byte[] sha256) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials WHERE public_key_sha256 = :sha ORDER BY id")
                .param("sha", sha256)
                .query(DeviceRepository::credential)
                .list();
    }

    /** Usable X.509 credentials with this certificate serial (lower-case hex). */
    List<DeviceCredential> findUsableByCertificateSerial(String serialHex) {
        return jdbc.sql("SELECT " + CREDENTIAL_COLUMNS + " FROM device_credentials"
                        + " WHERE certificate_serial = :serial AND mode = 'X509' AND" + USABLE + " ORDER BY id")
                .param("serial", serialHex).param("now", utc(Instant.now()))
                .query(DeviceRepository::credential)
                .list();
    }

    /** The devices provisioned from template {@code templateId} that are not revoked, by EUI-64. */
    public List<Device> notRevokedOfTemplate(String templateId) {
        return jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE template_id = :id AND state <> 'REVOKED'"
                        + " ORDER BY eui64")
                .param("id", templateId).query(DeviceRepository::device).list();
    }

    Optional<Device> findById(long id) {
        return jdbc.sql("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE id = :id")
                .param("id", id)
                .query(DeviceRepository::device)
                .optional();
    }

    /** Locks the device row until the transaction ends, so concurrent changes of one device queue up. */
    public void lock(long deviceId) {
        jdbc.sql("SELECT id FROM devices WHERE id = :id FOR UPDATE").param("id", deviceId).query(Long.class).single();
    }

    /** Moves a device to {@code newState}, only from one of {@code fromStates}; false when it was not in one. */
    public boolean moveState(long deviceId, Device.State newState, List<Device.State> fromStates, Instant now) {
        boolean moved = jdbc.sql("UPDATE devices SET state = :state, updated_at = :now WHERE id = :id AND state IN (:from)")
                .param("state", newState.name()).param("now", utc(now)).param("id", deviceId)
                .param("from", fromStates.stream().map(Device.State::name).toList()).update() > 0;
        if (moved && (newState == Device.State.REVOKED || fromStates.contains(Device.State.REVOKED))) {
            endpointChangeOf(deviceId);
        }
        return moved;
    }

    /** The EUI-64s of the devices with these ids (ids of no device are left out). */
    public Map<Long, Eui64> eui64s(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, Eui64> eui64s = new HashMap<>();
        jdbc.sql("SELECT id, eui64 FROM devices WHERE id IN (:ids)").param("ids", List.copyOf(new HashSet<>(ids)))
                .query(rs -> {
                    eui64s.put(rs.getLong(1), Eui64.parse(rs.getString(2)));
                });
        return eui64s;
    }

    /**
     * Inserts a device, with the station that provisioned it (null for a user). The device counts as new in this
     * transaction until its first bundle sequence is taken ({@link #takeNewInThisTransaction}).
     */
    Device insertDevice(Eui64 eui64, String templateId, int templateVersion, Long stationId, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at, station_id)
                VALUES (:eui64, :template, :version, 'PROVISIONED', :now, :now, :station)""")
                .param("eui64", eui64.canonical())
                .param("template", templateId)
                .param("version", templateVersion)
                .param("now", utc(now))
                .param("station", stationId)
                .update(key, "id");
        long id = key.getKeyAs(Long.class);
        newDevices.add(id);
        return new Device(id, eui64, templateId, templateVersion, Device.State.PROVISIONED, now);
    }

    /**
     * Whether {@code deviceId} was inserted by the current transaction and nothing has asked since: true once per
     * such device. No other transaction can see the device yet, so its first bundle sequence needs no lock and no
     * read ({@code BundleLedger}).
     */
    public boolean takeNewInThisTransaction(long deviceId) {
        return newDevices.take(deviceId);
    }

    void updateDevice(long deviceId, String templateId, int templateVersion, Device.State state, Instant now) {
        jdbc.sql("""
                UPDATE devices SET template_id = :template, template_version = :version, state = :state, updated_at = :now
                WHERE id = :id""")
                .param("id", deviceId).param("template", templateId).param("version", templateVersion)
                .param("state", state.name()).param("now", utc(now))
                .update();
        endpointChangeOf(deviceId);
    }

    private static final String INSERT_CREDENTIAL = """
            INSERT INTO device_credentials (device_id, server_name, mode, psk_identity, sealed_secret, sealing_key_id,
                created_at, public_key, public_key_sha256, certificate, certificate_serial, key_origin,
                certificate_not_after)
            VALUES (:device, :server, :mode, :identity, :sealed, :keyId, :now, :publicKey, :sha, :cert, :serial, :origin,
                :notAfter)""";

    /**
     * Stores a new credential of {@code deviceId} for {@code serverName}; its secret arrives already sealed. In a
     * batch's chunk ({@link ChunkWrites}) the row is written with the chunk's other credentials, in one JDBC batch.
     */
    void insertCredential(long deviceId, String serverName, CredentialMaterial material, SealedKey sealed, Instant now) {
        Columns columns = Columns.of(material);
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("device", deviceId)
                .addValue("server", serverName)
                .addValue("mode", material.mode().name())
                .addValue("identity", columns.pskIdentity())
                .addValue("sealed", sealed == null ? null : sealed.ciphertext())
                .addValue("keyId", sealed == null ? null : sealed.keyId())
                .addValue("now", utc(now))
                .addValue("publicKey", columns.publicKey())
                .addValue("sha", columns.publicKeySha256())
                .addValue("cert", columns.certificate())
                .addValue("serial", columns.certificateSerial())
                .addValue("origin", columns.keyOrigin() == null ? null : columns.keyOrigin().name())
                .addValue("notAfter", columns.certificate() == null ? null
                        : utc(DeviceQueries.certificate(columns.certificate()).getNotAfter().toInstant()));
        ChunkWrites.current().ifPresentOrElse(
                chunk -> chunk.add("device_credentials", rows -> batchUpdate(INSERT_CREDENTIAL, rows), row),
                () -> jdbc.sql(INSERT_CREDENTIAL).paramSource(row).update());
    }

    /**
     * Inserts new devices of one template in one JDBC batch, with the station that provisioned them (null for a
     * user), and answers them in the order given. Each counts as new in this transaction, as with
     * {@link #insertDevice}.
     *
     * @throws org.springframework.dao.DuplicateKeyException when one of the EUI-64s exists (then none is kept: the
     *     caller rolls back)
     */
    public List<Device> insertDevices(List<Eui64> eui64s, String templateId, int templateVersion, Long stationId,
            Instant now) {
        if (eui64s.isEmpty()) {
            return List.of();
        }
        List<MapSqlParameterSource> rows = eui64s.stream().map(eui64 -> new MapSqlParameterSource()
                .addValue("eui64", eui64.canonical()).addValue("template", templateId)
                .addValue("version", templateVersion).addValue("now", utc(now)).addValue("station", stationId)).toList();
        batchUpdate("""
                INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at, station_id)
                VALUES (:eui64, :template, :version, 'PROVISIONED', :now, :now, :station)""", rows);
        Map<Eui64, Long> ids = new HashMap<>();
        jdbc.sql("SELECT id, eui64 FROM devices WHERE eui64 IN (:eui64s)")
                .param("eui64s", eui64s.stream().map(Eui64::canonical).toList())
                .query(rs -> {
                    ids.put(Eui64.parse(rs.getString(2)), rs.getLong(1));
                });
        return eui64s.stream().map(eui64 -> {
            long id = ids.get(eui64);
            newDevices.add(id);
            return new Device(id, eui64, templateId, templateVersion, Device.State.PROVISIONED, now);
        }).toList();
    }

    private void batchUpdate(String sql, List<MapSqlParameterSource> rows) {
        batch.batchUpdate(sql, rows.toArray(SqlParameterSource[]::new));
    }

    /** Marks every not yet revoked credential of the device revoked. */
    int revokeAll(long deviceId, String reason, Instant now) {
        int revoked = jdbc.sql("""
                UPDATE device_credentials SET revoked_at = :now, revocation_reason = :reason
                WHERE device_id = :id AND revoked_at IS NULL""")
                .param("id", deviceId).param("reason", reason).param("now", utc(now))
                .update();
        if (revoked > 0) {
            endpointChangeOf(deviceId);
        }
        return revoked;
    }

    /** Gives the device's current credentials an end: they stay usable until {@code deadline}. */
    int phaseOutCurrent(long deviceId, Instant deadline) {
        int phasedOut = jdbc.sql("""
                UPDATE device_credentials SET valid_until = :deadline
                WHERE device_id = :id AND revoked_at IS NULL AND valid_until IS NULL""")
                .param("id", deviceId).param("deadline", utc(deadline))
                .update();
        if (phasedOut > 0) {
            endpointChangeOf(deviceId);
        }
        return phasedOut;
    }

    private void endpointChangeOf(long deviceId) {
        jdbc.sql("SELECT eui64 FROM devices WHERE id = :id").param("id", deviceId).query(String.class).optional()
                .map(Eui64::parse).ifPresent(endpointChanges::deviceChanged);
    }

    /** Gives the device's current credential for {@code serverName} an end: usable until {@code deadline}. */
    int phaseOutCurrent(long deviceId, String serverName, Instant deadline) {
        int phasedOut = jdbc.sql("""
                UPDATE device_credentials SET valid_until = :deadline
                WHERE device_id = :id AND server_name = :server AND revoked_at IS NULL AND valid_until IS NULL""")
                .param("id", deviceId).param("server", serverName).param("deadline", utc(deadline))
                .update();
        if (phasedOut > 0) {
            endpointChangeOf(deviceId);
        }
        return phasedOut;
    }

    /** Deletes a delivered private key the template says not to retain. */
    void discardSecret(long credentialId, Instant now) {
        String sql = """
                UPDATE device_credentials SET sealed_secret = NULL, sealing_key_id = NULL, secret_discarded_at = :now
                WHERE id = :id AND mode <> 'PSK'""";
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("id", credentialId).addValue("now", utc(now));
        ChunkWrites.current().ifPresentOrElse(
                chunk -> chunk.add("device_credentials:discard", rows -> batchUpdate(sql, rows), row),
                () -> jdbc.sql(sql).paramSource(row).update());
    }

    private static Device device(ResultSet rs, int row) throws SQLException {
        return new Device(rs.getLong("id"), Eui64.parse(rs.getString("eui64")), rs.getString("template_id"),
                rs.getInt("template_version"), Device.State.valueOf(rs.getString("state")), instant(rs, "created_at"));
    }

    private static DeviceCredential credential(ResultSet rs, int row) throws SQLException {
        byte[] sealed = rs.getBytes("sealed_secret");
        return new DeviceCredential(rs.getLong("id"), rs.getLong("device_id"), rs.getString("server_name"),
                material(rs), sealed == null ? null : new SealedKey(rs.getString("sealing_key_id"), sealed),
                instant(rs, "created_at"), instant(rs, "revoked_at"), instant(rs, "secret_discarded_at"),
                instant(rs, "valid_until"), rs.getString("revocation_reason"));
    }

    /** The row's mode-specific columns as the mode's material; the schema's checks guarantee each mode's columns. */
    private static CredentialMaterial material(ResultSet rs) throws SQLException {
        return switch (CredentialMode.valueOf(rs.getString("mode"))) {
            case PSK -> new CredentialMaterial.Psk(rs.getBytes("psk_identity"));
            case RAW_PUBLIC_KEY -> new CredentialMaterial.RawPublicKey(rs.getBytes("public_key"),
                    DeviceCredential.KeyOrigin.valueOf(rs.getString("key_origin")));
            case X509 -> new CredentialMaterial.Certificate(rs.getBytes("public_key"), rs.getBytes("certificate"),
                    rs.getString("certificate_serial"), DeviceCredential.KeyOrigin.valueOf(rs.getString("key_origin")));
        };
    }

    /** The mode-specific columns of a credential row; those another mode has stay null. */
    private record Columns(byte[] pskIdentity, byte[] publicKey, byte[] publicKeySha256, byte[] certificate,
            String certificateSerial, DeviceCredential.KeyOrigin keyOrigin) {

        static Columns of(CredentialMaterial material) {
            if (material instanceof CredentialMaterial.Psk psk) {
                return new Columns(psk.identity(), null, null, null, null, null);
            }
            if (material instanceof CredentialMaterial.RawPublicKey rpk) {
                return new Columns(null, rpk.publicKey(), rpk.publicKeySha256(), null, null, rpk.keyOrigin());
            }
            CredentialMaterial.Certificate x509 = (CredentialMaterial.Certificate) material;
            return new Columns(null, x509.publicKey(), x509.publicKeySha256(), x509.certificate(), x509.serialHex(),
                    x509.keyOrigin());
        }
    }
}

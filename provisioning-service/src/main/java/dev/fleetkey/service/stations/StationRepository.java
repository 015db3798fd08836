package dev.fleetkey.service.stations;

import static dev.fleetkey.service.system.UtcColumns.instant;
import static dev.fleetkey.service.system.UtcColumns.utc;

import dev.fleetkey.service.system.ChunkWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Stations and the devices each provisioned; plain SQL for H2 and PostgreSQL. */
@Repository
class StationRepository {

    private static final String COLUMNS = "id, name, allowed_templates, quota_per_minute, transport_key, enabled,"
            + " token_sha256, created_at, token_issued_at";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    StationRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    long insert(String name, List<String> templates, int quota, byte[] transportKey, String tokenHash, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO stations (name, allowed_templates, quota_per_minute, transport_key, token_sha256, enabled,
                    created_at, token_issued_at)
                VALUES (:name, :templates, :quota, :key, :token, TRUE, :now, :now)""")
                .param("name", name).param("templates", String.join(",", templates)).param("quota", quota)
                .param("key", transportKey).param("token", tokenHash).param("now", utc(now))
                .update(key, "id");
        return key.getKeyAs(Long.class);
    }

    List<Station> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM stations ORDER BY id").query(StationRepository::station).list();
    }

    Optional<Station> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM stations WHERE id = :id").param("id", id)
                .query(StationRepository::station).optional();
    }

    Optional<Station> findByName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM stations WHERE name = :name").param("name", name)
                .query(StationRepository::station).optional();
    }

    /** The enabled station whose token hashes to {@code tokenHash}. */
    Optional<Station> findActiveByTokenHash(String tokenHash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM stations WHERE token_sha256 = :hash AND enabled = TRUE")
                .param("hash", tokenHash).query(StationRepository::station).optional();
    }

    void update(Station s) {
        jdbc.sql("""
                UPDATE stations SET name = :name, allowed_templates = :templates, quota_per_minute = :quota,
                    transport_key = :key, enabled = :enabled WHERE id = :id""")
                .param("name", s.name()).param("templates", String.join(",", s.allowedTemplates()))
                .param("quota", s.quotaPerMinute()).param("key", s.transportKey()).param("enabled", s.enabled())
                .param("id", s.id()).update();
    }

    /** Replaces the token hash (null revokes the token). */
    void setToken(long id, String tokenHash, Instant now) {
        jdbc.sql("UPDATE stations SET token_sha256 = :hash, token_issued_at = :now WHERE id = :id")
                .param("hash", tokenHash).param("now", tokenHash == null ? null : utc(now)).param("id", id).update();
    }

    /** Records that the station made the device; in a batch's chunk, with the chunk's others in one JDBC batch. */
    void recordProvisioned(long deviceId, long stationId) {
        String sql = "INSERT INTO station_devices (device_id, station_id) VALUES (:device, :station)";
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("device", deviceId).addValue("station", stationId);
        ChunkWrites.current().ifPresentOrElse(
                chunk -> chunk.add("station_devices",
                        rows -> batch.batchUpdate(sql, rows.toArray(SqlParameterSource[]::new)), row),
                () -> jdbc.sql(sql).paramSource(row).update());
    }

    /** The station that provisioned {@code deviceId}, if a station did. */
    Optional<Long> provisioningStation(long deviceId) {
        return jdbc.sql("SELECT station_id FROM station_devices WHERE device_id = :device").param("device", deviceId)
                .query(Long.class).optional();
    }

    Optional<String> endOfLineDetail(long deviceId) {
        return jdbc.sql("SELECT eol_detail FROM station_devices WHERE device_id = :device").param("device", deviceId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o);
    }

    /** Keeps the end-of-line detail; devices an administrator provisioned have no station row (audit trail only). */
    void recordEndOfLineDetail(long deviceId, String detail, Instant now) {
        jdbc.sql("UPDATE station_devices SET eol_detail = :detail, eol_reported_at = :now WHERE device_id = :id")
                .param("detail", detail).param("now", utc(now)).param("id", deviceId).update();
    }

    private static Station station(ResultSet rs, int row) throws SQLException {
        String templates = rs.getString("allowed_templates");
        return new Station(rs.getLong("id"), rs.getString("name"),
                templates.isEmpty() ? List.of() : Arrays.asList(templates.split(",")), rs.getInt("quota_per_minute"),
                rs.getBytes("transport_key"), rs.getBoolean("enabled"), rs.getString("token_sha256") != null,
                instant(rs, "created_at"), instant(rs, "token_issued_at"));
    }
}

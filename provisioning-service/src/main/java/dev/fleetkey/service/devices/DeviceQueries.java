package dev.fleetkey.service.devices;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only device queries: the search of the API and the UI (one {@link DeviceQuery}, keyset pages), the streamed
 * export, a device's credentials (revoked ones too) and the summary counts of the API and the dashboard. Writes
 * stay with the devices services.
 */
@Repository
public class DeviceQueries {

    private static final int EXPORT_FETCH = 500;
    /** Up to this many certificates expiring, certExpiringBefore starts from them (see {@link #fewExpiring}). */
    static final int FEW_EXPIRING = 5_000;

    private final JdbcClient jdbc;

    DeviceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A device as the search results show it. */
    public record DeviceRow(long id, String eui64, String template, String state, Instant createdAt, Long stationId,
            Set<String> modes) {
    }

    /**
     * One line of a device export: a device and one of its credentials (revoked ones too), public parts only.
     * Hex is lower-case; the public key's SHA-256 is of its SubjectPublicKeyInfo.
     */
    public record ExportRow(String eui64, String template, String state, Long stationId, Instant createdAt,
            Instant updatedAt, String server, String mode, String pskIdentityHex, String publicKeySha256Hex,
            String certificateSerial, Instant certificateNotBefore, Instant certificateNotAfter,
            Instant credentialCreatedAt, Instant credentialRevokedAt) {
    }

    /** The figures of the dashboard and of {@code GET /api/v1/devices/summary}. */
    public record Summary(long total, Map<String, Long> byState, Map<String, Long> byTemplate,
            Map<String, Long> byMode) {
    }

    /**
     * A credential as the device page shows it. Certificate fields are null for PSK and raw public key
     * credentials; the fingerprint (SHA-256 of the SubjectPublicKeyInfo, colon-separated hex) for PSK ones.
     */
    public record CredentialRow(String server, String mode, String pskIdentity, Instant createdAt, Instant revokedAt,
            String certificateSubject, String certificateSerial, Instant notBefore, Instant notAfter,
            String publicKeyFingerprint) {
    }

    /** Where a page of devices ends: the last row's creation time and id. Opaque to callers (see DeviceCursor). */
    public record Position(Instant createdAt, long id) {
    }

    /** A page in creation order and the position after its last row, null when no row follows. */
    public record Page(List<DeviceRow> rows, Position next) {
    }

    /**
     * One page of the devices matching {@code query} (which has no problems), sorted by creation time, then id
     * (keyset paging: rows inserted meanwhile never shift a page), oldest first unless {@code newestFirst}.
     *
     * @param stationId the id of the query's station, or of the station asking; null for no station filter
     * @param after     the position the previous page ended at, or null for the first page
     */
    public Page page(DeviceQuery query, Long stationId, Position after, int limit, boolean newestFirst) {
        DevicePageStatement statement = pageStatement(query, stationId, after, limit, newestFirst);
        JdbcClient.StatementSpec select = jdbc.sql(statement.sql());
        statement.params().forEach(select::param);
        List<DeviceRow> rows = new ArrayList<>(select.query((rs, n) -> new DeviceRow(rs.getLong("id"),
                        rs.getString("eui64"), rs.getString("template_id") + "@" + rs.getInt("template_version"),
                        rs.getString("state"), instant(rs, "created_at"), rs.getObject("station_id", Long.class),
                        new LinkedHashSet<>()))
                .list());
        Position next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            DeviceRow last = rows.get(limit - 1);
            next = new Position(last.createdAt(), last.id());
        }
        addModes(rows);
        return new Page(rows, next);
    }

    /** The SELECT of {@link #page}. */
    DevicePageStatement pageStatement(DeviceQuery query, Long stationId, Position after, int limit,
            boolean newestFirst) {
        return DevicePageStatement.of(query, stationId, after, limit, newestFirst, fewExpiring(query));
    }

    /**
     * How many devices match {@code query}, counting no further than {@code atMost + 1}: a result above
     * {@code atMost} means "more than atMost". A full {@code COUNT(*)} of half a million devices took a second
     * in H2; this one reads at most {@code atMost + 1} index entries when matches are common.
     */
    public long count(DeviceQuery query, Long stationId, long atMost) {
        List<String> terms = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        query.addTerms(terms, params, stationId, fewExpiring(query));
        JdbcClient.StatementSpec count = jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 AS one FROM devices d" + where(terms)
                + " LIMIT :atMost) matching");
        params.forEach(count::param);
        return count.param("atMost", atMost + 1).query(Long.class).single();
    }

    /**
     * Hands each credential of the devices matching {@code query} to {@code rows}, oldest device first, without
     * holding more than a fetch of rows in memory (call it inside a transaction, so PostgreSQL uses a cursor).
     * Devices without credentials come once, with the credential fields null. No secret column is read.
     */
    public void exportRows(DeviceQuery query, Long stationId, Consumer<ExportRow> rows) {
        List<String> terms = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        query.addTerms(terms, params, stationId, fewExpiring(query));
        JdbcClient.StatementSpec select = jdbc.sql("SELECT d.eui64, d.template_id, d.template_version, d.state,"
                + " d.station_id, d.created_at, d.updated_at, c.server_name, c.mode, c.psk_identity, c.public_key_sha256,"
                + " c.certificate, c.certificate_serial, c.created_at AS credential_created_at, c.revoked_at"
                + " FROM devices d LEFT JOIN device_credentials c ON c.device_id = d.id" + where(terms)
                + " ORDER BY d.created_at, d.id, c.id").withFetchSize(EXPORT_FETCH);
        params.forEach(select::param);
        HexFormat hex = HexFormat.of();
        select.query(rs -> {
            byte[] identity = rs.getBytes("psk_identity");
            byte[] sha = rs.getBytes("public_key_sha256");
            X509Certificate certificate = certificate(rs.getBytes("certificate"));
            rows.accept(new ExportRow(rs.getString("eui64"),
                    rs.getString("template_id") + "@" + rs.getInt("template_version"), rs.getString("state"),
                    rs.getObject("station_id", Long.class), instant(rs, "created_at"), instant(rs, "updated_at"),
                    rs.getString("server_name"), rs.getString("mode"), identity == null ? null : hex.formatHex(identity),
                    sha == null ? null : hex.formatHex(sha), rs.getString("certificate_serial"),
                    certificate == null ? null : certificate.getNotBefore().toInstant(),
                    certificate == null ? null : certificate.getNotAfter().toInstant(),
                    instant(rs, "credential_created_at"), instant(rs, "revoked_at")));
        });
    }

    /**
     * Whether at most {@link #FEW_EXPIRING} unrevoked certificates end before the query's certExpiringBefore (read
     * through the index on certificate_not_after, stopping after one more): then the devices are found from their
     * certificates and the few sorted; with more, walking the devices in order finds a page soon enough.
     */
    private boolean fewExpiring(DeviceQuery query) {
        if (query.certExpiringBeforeValue() == null) {
            return false;
        }
        return jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 AS one FROM device_credentials c WHERE " + DeviceQuery.EXPIRING
                        + " LIMIT :atMost) expiring")
                .param("certExpiringBefore", query.certExpiringBeforeValue())
                .param("atMost", FEW_EXPIRING + 1)
                .query(Long.class).single() <= FEW_EXPIRING;
    }

    private void addModes(List<DeviceRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Map<Long, DeviceRow> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        jdbc.sql("SELECT device_id, mode FROM device_credentials WHERE device_id IN (:ids) ORDER BY id")
                .param("ids", byId.keySet())
                .query(rs -> {
                    byId.get(rs.getLong("device_id")).modes().add(rs.getString("mode"));
                });
    }

    static String where(List<String> terms) {
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    public List<CredentialRow> credentials(long deviceId) {
        return jdbc.sql("SELECT server_name, mode, psk_identity, created_at, revoked_at, public_key_sha256, certificate,"
                        + " certificate_serial FROM device_credentials WHERE device_id = :id ORDER BY id")
                .param("id", deviceId)
                .query((rs, n) -> {
                    byte[] identity = rs.getBytes("psk_identity");
                    byte[] fingerprint = rs.getBytes("public_key_sha256");
                    X509Certificate certificate = certificate(rs.getBytes("certificate"));
                    return new CredentialRow(rs.getString("server_name"), rs.getString("mode"),
                            identity == null ? null : HexFormat.of().formatHex(identity), instant(rs, "created_at"),
                            instant(rs, "revoked_at"),
                            certificate == null ? null : certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                            rs.getString("certificate_serial"),
                            certificate == null ? null : certificate.getNotBefore().toInstant(),
                            certificate == null ? null : certificate.getNotAfter().toInstant(),
                            fingerprint == null ? null : HexFormat.ofDelimiter(":").formatHex(fingerprint));
                })
                .list();
    }

    /**
     * Device counts by state (every state, zero included), by template ({@code id@version}) and by credential mode
     * (devices with at least one credential of the mode, revoked ones included; every mode, zero included).
     */
    public Summary summary() {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (Device.State state : Device.State.values()) {
            byState.put(state.name(), 0L);
        }
        byState.putAll(counts("SELECT state, COUNT(*) FROM devices GROUP BY state"));
        Map<String, Long> byMode = new LinkedHashMap<>();
        for (String mode : List.of("PSK", "RAW_PUBLIC_KEY", "X509")) {
            byMode.put(mode, 0L);
        }
        byMode.putAll(counts("SELECT mode, COUNT(DISTINCT device_id) FROM device_credentials GROUP BY mode"));
        Map<String, Long> byTemplate = counts("SELECT template_id || '@' || CAST(template_version AS VARCHAR(11)),"
                + " COUNT(*) FROM devices GROUP BY template_id, template_version");
        return new Summary(byState.values().stream().mapToLong(Long::longValue).sum(), byState, byTemplate, byMode);
    }

    public long countCreatedBetween(Instant from, Instant to) {
        return jdbc.sql("SELECT COUNT(*) FROM devices WHERE created_at >= :from AND created_at < :to")
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .query(Long.class).single();
    }

    public List<String> templateIds() {
        return jdbc.sql("SELECT DISTINCT template_id FROM devices ORDER BY template_id").query(String.class).list();
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql(sql).query(rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** The stored DER certificate, or null when there is none; the database only holds certificates we issued. */
    static X509Certificate certificate(byte[] der) {
        if (der == null) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalStateException("A stored device certificate cannot be read", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

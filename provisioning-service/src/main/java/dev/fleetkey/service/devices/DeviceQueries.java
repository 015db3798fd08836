package dev.fleetkey.service.devices;

import dev.fleetkey.service.web.PageOf;
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
import javax.security.auth.x500.X500Principal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only device queries for pages of other features (device page, dashboard): search with paging, a
 * device's credentials (revoked ones too), and counts. Writes stay with the devices services.
 */
@Repository
public class DeviceQueries {

    private final JdbcClient jdbc;

    DeviceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A device as the search results show it. */
    public record DeviceRow(long id, String eui64, String template, String state, Instant createdAt, Set<String> modes) {
    }

    /**
     * A credential as the device page shows it. Certificate fields are null for PSK and raw public key
     * credentials; the fingerprint (SHA-256 of the SubjectPublicKeyInfo, colon-separated hex) for PSK ones.
     */
    public record CredentialRow(String server, String mode, String pskIdentity, Instant createdAt, Instant revokedAt,
            String certificateSubject, String certificateSerial, Instant notBefore, Instant notAfter,
            String publicKeyFingerprint) {
    }

    public PageOf<DeviceRow> search(DeviceQuery query, int page, int size) {
        List<String> terms = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        query.addTerms(terms, params);
        String where = terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
        JdbcClient.StatementSpec count = jdbc.sql("SELECT COUNT(*) FROM devices d" + where);
        params.forEach(count::param);
        long total = count.query(Long.class).single();
        JdbcClient.StatementSpec select = jdbc.sql("SELECT d.id, d.eui64, d.template_id, d.template_version, d.state,"
                + " d.created_at FROM devices d" + where + " ORDER BY d.id DESC LIMIT :limit OFFSET :offset");
        params.forEach(select::param);
        List<DeviceRow> rows = select.param("limit", size).param("offset", PageOf.offset(page, size))
                .query((rs, n) -> new DeviceRow(rs.getLong("id"), rs.getString("eui64"),
                        rs.getString("template_id") + "@" + rs.getInt("template_version"), rs.getString("state"),
                        instant(rs, "created_at"), new LinkedHashSet<>()))
                .list();
        if (!rows.isEmpty()) {
            Map<Long, DeviceRow> byId = new LinkedHashMap<>();
            rows.forEach(r -> byId.put(r.id(), r));
            jdbc.sql("SELECT device_id, mode FROM device_credentials WHERE device_id IN (:ids) ORDER BY id")
                    .param("ids", byId.keySet())
                    .query(rs -> {
                        byId.get(rs.getLong("device_id")).modes().add(rs.getString("mode"));
                    });
        }
        return new PageOf<>(rows, page, size, total);
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

    /** Device counts by state, by credential mode (devices with at least one) and by template. */
    public Map<String, Long> countByState() {
        return counts("SELECT state, COUNT(*) FROM devices GROUP BY state");
    }

    public Map<String, Long> countByMode() {
        return counts("SELECT mode, COUNT(DISTINCT device_id) FROM device_credentials GROUP BY mode");
    }

    public Map<String, Long> countByTemplate() {
        return counts("SELECT template_id, COUNT(*) FROM devices GROUP BY template_id");
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
    private static X509Certificate certificate(byte[] der) {
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

package dev.fleetkey.service.bundles;

import static dev.fleetkey.service.system.UtcColumns.instant;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.web.PageOf;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only queries on the record of issued bundles for pages (the bundles page, the device page). A row names
 * its device by id in the table; the devices feature supplies the EUI-64 it shows.
 */
@Repository
public class IssuedBundles {

    private final JdbcClient jdbc;
    private final DeviceRepository devices;

    IssuedBundles(JdbcClient jdbc, DeviceRepository devices) {
        this.jdbc = jdbc;
        this.devices = devices;
    }

    /** An issued bundle as the pages show it; {@code deviceId} and {@code eui64} are null for a fleet bundle. */
    public record BundleRow(Long deviceId, String eui64, String kind, long sequence, String bundleId, String digest,
            Instant issuedAt, Instant notAfter, String issuedBy) {
    }

    /** The newest 100 bundles issued to the device. */
    public List<BundleRow> bundlesOf(long deviceId) {
        return bundles(" WHERE b.device_id = :device", Map.of("device", deviceId), 0, 100);
    }

    /** One page of every issued bundle, newest first. */
    public PageOf<BundleRow> bundles(int page, int size) {
        long total = jdbc.sql("SELECT COUNT(*) FROM bundles_issued").query(Long.class).single();
        return new PageOf<>(bundles("", Map.of(), PageOf.offset(page, size), size), page, size, total);
    }

    private List<BundleRow> bundles(String where, Map<String, Object> params, int offset, int limit) {
        JdbcClient.StatementSpec spec = jdbc.sql("SELECT b.device_id, b.kind, b.sequence_number, b.bundle_id,"
                + " b.digest_sha256, b.issued_at, b.not_after, b.issued_by FROM bundles_issued b" + where
                + " ORDER BY b.id DESC LIMIT :limit OFFSET :offset");
        params.forEach(spec::param);
        List<BundleRow> rows = spec.param("limit", limit).param("offset", offset)
                .query(IssuedBundles::row)
                .list();
        Map<Long, Eui64> eui64s = devices.eui64s(rows.stream().map(BundleRow::deviceId).filter(Objects::nonNull).toList());
        return rows.stream().map(r -> {
            Eui64 eui64 = r.deviceId() == null ? null : eui64s.get(r.deviceId());
            return new BundleRow(r.deviceId(), eui64 == null ? null : eui64.canonical(), r.kind(), r.sequence(),
                    r.bundleId(), r.digest(), r.issuedAt(), r.notAfter(), r.issuedBy());
        }).toList();
    }

    private static BundleRow row(ResultSet rs, int n) throws SQLException {
        long device = rs.getLong("device_id");
        return new BundleRow(rs.wasNull() ? null : device, null, rs.getString("kind"),
                rs.getLong("sequence_number"), HexFormat.of().formatHex(rs.getBytes("bundle_id")),
                HexFormat.of().formatHex(rs.getBytes("digest_sha256")), instant(rs, "issued_at"),
                instant(rs, "not_after"), rs.getString("issued_by"));
    }
}

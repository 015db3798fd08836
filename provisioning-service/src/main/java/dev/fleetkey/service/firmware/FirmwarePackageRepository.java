package dev.fleetkey.service.firmware;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The record of every package written, and the fleet sequence per product line. Callers hold a transaction. */
@Repository
class FirmwarePackageRepository {

    /** One package row. */
    record Row(long id, String productLine, int templateVersion, String hardwareClass, String firmwareVersion,
               long sequence, Instant notBefore, Instant notAfter, byte[] imageSha256, long imageSize,
               byte[] fleetBundleId, byte[] packageSha256, long packageSize, byte[] manifestCbor, String fileName,
               Instant createdAt, String createdBy) {
    }

    private static final String COLUMNS = "id, product_line, template_version, hardware_class, firmware_version,"
            + " sequence_number, not_before, not_after, image_sha256, image_size, fleet_bundle_id, package_sha256,"
            + " package_size, manifest_cbor, file_name, created_at, created_by";

    private final JdbcClient jdbc;

    FirmwarePackageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row row) {
        jdbc.sql("INSERT INTO firmware_packages (" + COLUMNS.substring(4) + ") VALUES (:line, :tv, :hw, :fw, :seq,"
                        + " :nb, :na, :imgSha, :imgSize, :fleetId, :pkgSha, :pkgSize, :manifest, :file, :at, :by)")
                .param("line", row.productLine()).param("tv", row.templateVersion()).param("hw", row.hardwareClass())
                .param("fw", row.firmwareVersion()).param("seq", row.sequence())
                .param("nb", row.notBefore().atOffset(ZoneOffset.UTC))
                .param("na", row.notAfter() == null ? null : row.notAfter().atOffset(ZoneOffset.UTC))
                .param("imgSha", row.imageSha256()).param("imgSize", row.imageSize())
                .param("fleetId", row.fleetBundleId()).param("pkgSha", row.packageSha256())
                .param("pkgSize", row.packageSize()).param("manifest", row.manifestCbor())
                .param("file", row.fileName()).param("at", row.createdAt().atOffset(ZoneOffset.UTC))
                .param("by", row.createdBy())
                .update();
    }

    List<Row> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_packages ORDER BY product_line, sequence_number")
                .query(FirmwarePackageRepository::row).list();
    }

    Optional<Row> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_packages WHERE id = :id").param("id", id)
                .query(FirmwarePackageRepository::row).optional();
    }

    Optional<Row> findRelease(String productLine, String hardwareClass, String firmwareVersion) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_packages WHERE product_line = :line AND hardware_class = :hw"
                        + " AND firmware_version = :fw")
                .param("line", productLine).param("hw", hardwareClass).param("fw", firmwareVersion)
                .query(FirmwarePackageRepository::row).optional();
    }

    /** The product line's package with the highest sequence below {@code sequence}: what devices run before it. */
    Optional<Row> latestBefore(String productLine, long sequence) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM firmware_packages WHERE product_line = :line"
                        + " AND sequence_number < :seq ORDER BY sequence_number DESC FETCH FIRST 1 ROWS ONLY")
                .param("line", productLine).param("seq", sequence)
                .query(FirmwarePackageRepository::row).optional();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        OffsetDateTime notAfter = rs.getObject("not_after", OffsetDateTime.class);
        return new Row(rs.getLong("id"), rs.getString("product_line"), rs.getInt("template_version"),
                rs.getString("hardware_class"), rs.getString("firmware_version"), rs.getLong("sequence_number"),
                rs.getObject("not_before", OffsetDateTime.class).toInstant(), notAfter == null ? null : notAfter.toInstant(),
                rs.getBytes("image_sha256"), rs.getLong("image_size"), rs.getBytes("fleet_bundle_id"),
                rs.getBytes("package_sha256"), rs.getLong("package_size"), rs.getBytes("manifest_cbor"),
                rs.getString("file_name"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"));
    }
}

package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.TestService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migration V8 over data written by version 7, on H2 and on a real PostgreSQL (skipped where the Debian
 * {@code postgresql} package is missing, unless {@code FLEETKEY_REQUIRE_POSTGRES} is set): existing keys are
 * registered, a key two devices already share does not fail the migration (it is registered to the device
 * of its oldest credential), and stored idempotent answers stay valid.
 */
class KeyRegistryMigrationIT {

    private static final byte[] SHARED_KEY = "spki shared by two devices".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OWN_KEY = "spki of device two alone".getBytes(StandardCharsets.US_ASCII);

    @Test
    void migrationRegistersExistingKeysOnH2EvenWhenTwoDevicesShareOne() throws Exception {
        String url = "jdbc:h2:file:" + TestService.newDataDir().resolve("fleetkey") + ";DB_CLOSE_ON_EXIT=FALSE";
        migrateVersion7DataToV8(new DriverManagerDataSource(url, "fleetkey", ""));
    }

    @Test
    void migrationRegistersExistingKeysOnPostgresqlEvenWhenTwoDevicesShareOne() throws Exception {
        Optional<Path> bin = LocalPostgres.installedBinaries();
        if (System.getenv("FLEETKEY_REQUIRE_POSTGRES") != null) {
            assertThat(bin).as("PostgreSQL server binaries (Debian package postgresql)").isPresent();
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed (Debian package postgresql)");
        try (LocalPostgres pg = LocalPostgres.start(bin.get())) {
            migrateVersion7DataToV8(new DriverManagerDataSource(pg.jdbcUrl(), LocalPostgres.USER, ""));
        }
    }

    private static void migrateVersion7DataToV8(DataSource dataSource) throws Exception {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("7").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        long first = device(jdbc, "00-11-22-FF-FE-00-00-01");
        long second = device(jdbc, "00-11-22-FF-FE-00-00-02");
        credential(jdbc, first, "RAW_PUBLIC_KEY", SHARED_KEY);
        credential(jdbc, second, "RAW_PUBLIC_KEY", SHARED_KEY);
        credential(jdbc, second, "X509", OWN_KEY);
        credential(jdbc, first, "RAW_PUBLIC_KEY", SHARED_KEY); // a rotation that kept the key
        jdbc.sql("""
                INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, status, content_type, location,
                    sealed_body, created_at)
                VALUES ('station:1', 'k-1', :f, 201, 'application/json', '/api/v1/devices/x', :body, CURRENT_TIMESTAMP)""")
                .param("f", Sha256.digest("request")).param("body", new byte[] {1, 2, 3})
                .update();

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        List<String> registered = jdbc.sql("SELECT spki_sha256, device_id FROM device_public_keys ORDER BY device_id")
                .query((rs, n) -> HexFormat.of().formatHex(rs.getBytes(1)) + "@" + rs.getLong(2)).list();
        assertThat(registered).containsExactly(Sha256.hex(SHARED_KEY) + "@" + first,
                Sha256.hex(OWN_KEY) + "@" + second);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials WHERE revoked_at IS NULL").query(Long.class).single())
                .as("the migration revokes nothing").isEqualTo(4);
        assertThat(jdbc.sql("SELECT claim_id FROM idempotency_keys WHERE idempotency_key = 'k-1'").query(String.class)
                .optional()).isEmpty();
        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO device_public_keys (spki_sha256, device_id, registered_at)
                VALUES (:sha, :device, CURRENT_TIMESTAMP)""").param("sha", Sha256.digest(SHARED_KEY)).param("device", second)
                .update()).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, created_at)
                VALUES ('station:1', 'neither-claim-nor-answer', :f, CURRENT_TIMESTAMP)""")
                .param("f", new byte[32]).update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    private static long device(JdbcClient jdbc, String eui64) {
        jdbc.sql("""
                INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at)
                VALUES (:e, 'demo-rpk', 1, 'PROVISIONED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""").param("e", eui64).update();
        return jdbc.sql("SELECT id FROM devices WHERE eui64 = :e").param("e", eui64).query(Long.class).single();
    }

    private static void credential(JdbcClient jdbc, long device, String mode, byte[] spki) throws Exception {
        jdbc.sql("""
                INSERT INTO device_credentials (device_id, server_name, mode, created_at, public_key, public_key_sha256,
                    certificate, certificate_serial, key_origin)
                VALUES (:d, 'fleetkey', :mode, CURRENT_TIMESTAMP, :key, :sha, :cert, :serial, 'DEVICE')""")
                .param("d", device).param("mode", mode).param("key", spki).param("sha", Sha256.digest(spki))
                .param("cert", "X509".equals(mode) ? new byte[] {0x30} : null)
                .param("serial", "X509".equals(mode) ? "0a" : null)
                .update();
    }
}

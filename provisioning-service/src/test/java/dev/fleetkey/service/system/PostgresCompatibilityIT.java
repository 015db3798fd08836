package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.FleetkeyApplication;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The same migrations and SQL on a real PostgreSQL server: the whole service runs on it and provisions
 * and issues over HTTP. Needs the Debian {@code postgresql} package; where it is missing the test is
 * skipped, unless {@code FLEETKEY_REQUIRE_POSTGRES} is set (CI sets it), where it fails.
 */
class PostgresCompatibilityIT {

    @Test
    void serviceMigratesProvisionsAndIssuesOnPostgresql() throws Exception {
        Optional<Path> bin = LocalPostgres.installedBinaries();
        if (System.getenv("FLEETKEY_REQUIRE_POSTGRES") != null) {
            assertThat(bin).as("PostgreSQL server binaries (Debian package postgresql)").isPresent();
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed (Debian package postgresql)");

        try (LocalPostgres pg = LocalPostgres.start(bin.get());
             ConfigurableApplicationContext service = start(pg)) {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
            ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);

            assertThat(api.provision("00-11-22-FF-FE-00-80-01", "demo-sensor").statusCode()).isEqualTo(201);
            assertThat(api.provision("001122fffe008001", "demo-sensor").statusCode()).isEqualTo(409);
            byte[] first = api.get("/api/v1/devices/00-11-22-FF-FE-00-80-01/bundle").body();
            byte[] second = api.get("/api/v1/devices/00-11-22-FF-FE-00-80-01/bundle").body();
            X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(api.get("/api/v1/trust/bundle-signer.pem").body()));
            BundleVerifier verifier = BundleVerifier.builder().trustAnchor(signer).build();
            Eui64 device = Eui64.parse("00-11-22-FF-FE-00-80-01");
            assertThat(verifier.verify(first, VerificationContext.forDevice(device, -1)).payload().sequence()).isEqualTo(1);
            assertThat(verifier.verify(second, VerificationContext.forDevice(device, 1)).payload().sequence()).isEqualTo(2);

            JdbcClient jdbc = service.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM bundles_issued").query(Long.class).single()).isEqualTo(2);
            long templateFiles;
            try (var files = java.nio.file.Files.list(TestService.repositoryTemplates())) {
                templateFiles = files.filter(f -> f.toString().endsWith(".yaml")).count();
            }
            assertThat(jdbc.sql("SELECT COUNT(*) FROM templates_seen").query(Long.class).single()).isEqualTo(templateFiles);

            // the other modes, rotation and revocation: serials and identities claimed under savepoints
            assertThat(api.provision("00-11-22-FF-FE-00-80-02", "demo-x509").statusCode()).isEqualTo(201);
            assertThat(api.provision("00-11-22-FF-FE-00-80-02", "demo-x509").statusCode()).isEqualTo(201);
            assertThat(api.provision("00-11-22-FF-FE-00-80-03", "demo-rpk").statusCode()).isEqualTo(201);
            assertThat(api.get("/api/v1/devices/00-11-22-FF-FE-00-80-03/bundle").statusCode()).isEqualTo(200);
            assertThat(api.postJson("/api/v1/devices/00-11-22-FF-FE-00-80-01/rotate", "{\"overlap\":\"P1D\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(api.postJson("/api/v1/devices/00-11-22-FF-FE-00-80-01/revoke", "{\"reason\":\"test\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials WHERE revoked_at IS NOT NULL")
                    .query(Long.class).single()).isEqualTo(3);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM psk_identities").query(Long.class).single()).isEqualTo(2);

            // a key bound twice: the holder is read after the refused insert (rolled back to its savepoint)
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            String key = java.util.Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
            assertThat(api.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-00-80-04\",\"template\":\"demo-rpk\","
                    + "\"publicKey\":\"" + key + "\"}").statusCode()).isEqualTo(201);
            var refused = api.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-00-80-05\",\"template\":\"demo-rpk\","
                    + "\"publicKey\":\"" + key + "\"}");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("00-11-22-FF-FE-00-80-04");
            // an Idempotency-Key claimed, answered, replayed
            String body = "{\"eui64\":\"00-11-22-FF-FE-00-80-06\",\"template\":\"demo-sensor\"}";
            var answered = api.send("POST", "/api/v1/devices", body, "Idempotency-Key", "pg-1");
            var replay = api.send("POST", "/api/v1/devices", body, "Idempotency-Key", "pg-1");
            assertThat(answered.statusCode()).isEqualTo(201);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(replay.body()).isEqualTo(answered.body());

            // a personal API token, then the login throttle counting and locking (last: it locks admin out)
            String token = ApiClient.json(api.postJson("/api/v1/users/me/tokens", "{\"name\":\"pg\"}")).get("token").stringValue();
            assertThat(ApiClient.withAuthorization(port, "Bearer " + token).get("/api/v1/devices/00-11-22-FF-FE-00-80-03")
                    .statusCode()).isEqualTo(200);
            ApiClient guesser = ApiClient.admin(port, "not-the-password");
            for (int i = 0; i < 5; i++) {
                assertThat(guesser.get("/api/v1/stations").statusCode()).isEqualTo(401);
            }
            assertThat(api.get("/api/v1/stations").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aServerThatCommitsBeforeWritingIsRefusedOneWithoutFsyncOnlyWarnedAbout() throws Exception {
        Optional<Path> bin = LocalPostgres.installedBinaries();
        if (System.getenv("FLEETKEY_REQUIRE_POSTGRES") != null) {
            assertThat(bin).as("PostgreSQL server binaries (Debian package postgresql)").isPresent();
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed (Debian package postgresql)");

        // the test server runs with fsync=off, so the default session is the warned-about case
        try (LocalPostgres pg = LocalPostgres.start(bin.get());
             Connection connection = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, "")) {
            assertThat(CommitDurabilityCheck.check(connection)).isEmpty();

            try (Statement statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit = off");
            }
            Optional<StartupProblem> problem = CommitDurabilityCheck.check(connection);
            assertThat(problem).isPresent();
            assertThat(problem.get().getMessage()).contains("synchronous_commit=off");
            assertThat(problem.get().action()).contains("synchronous_commit = on");
        }
    }

    private static ConfigurableApplicationContext start(LocalPostgres pg) {
        Map<String, Object> properties = new HashMap<>(TestService.properties(TestService.newDataDir(), true));
        properties.put("server.port", "0");
        properties.put("spring.datasource.url", pg.jdbcUrl());
        properties.put("spring.datasource.username", LocalPostgres.USER);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(FleetkeyApplication.class).run(args);
    }
}

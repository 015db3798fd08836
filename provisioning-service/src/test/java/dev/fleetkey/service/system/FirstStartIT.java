package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.FleetkeyApplication;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole-service starts over one data directory, as an operator would restart it: the first start makes
 * keys and the admin login; later starts reuse them.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstStartIT {

    @Test
    void firstStartWithoutAdminPasswordWritesAGeneratedOneToAnOwnerOnlyFile(CapturedOutput output) throws Exception {
        Path dataDir = TestService.newDataDir();
        assertThat(dataDir).doesNotExist();

        try (ConfigurableApplicationContext service = start(dataDir, false)) {
            Path file = dataDir.resolve("initial-admin-password");
            assertThat(file).exists();
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            String password = Files.readString(file).trim();
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(output.getAll()).contains(file.toString()).doesNotContain(password);
            assertThat(ApiClient.admin(port(service), password).get("/api/v1/devices/00-11-22-FF-FE-00-00-00")
                    .statusCode()).isEqualTo(404);
            assertThat(ApiClient.admin(port(service), "guess").get("/api/v1/devices/00-11-22-FF-FE-00-00-00")
                    .statusCode()).isEqualTo(401);
        }
    }

    @Test
    void restartKeepsSignerKeyDevicesAndAdminLogin() throws Exception {
        Path dataDir = TestService.newDataDir();
        String firstPem;
        byte[] firstBundle;
        try (ConfigurableApplicationContext first = start(dataDir, true)) {
            ApiClient api = ApiClient.admin(port(first), TestService.ADMIN_PASSWORD);
            assertThat(api.provision("00-11-22-FF-FE-00-40-01", "demo-sensor").statusCode()).isEqualTo(201);
            firstPem = ApiClient.text(api.get("/api/v1/trust/bundle-signer.pem"));
            firstBundle = api.get("/api/v1/devices/00-11-22-FF-FE-00-40-01/bundle").body();
        }
        assertThat(dataDir.resolve("initial-admin-password")).doesNotExist();

        try (ConfigurableApplicationContext second = start(dataDir, false)) {
            ApiClient api = ApiClient.admin(port(second), TestService.ADMIN_PASSWORD);
            assertThat(ApiClient.text(api.get("/api/v1/trust/bundle-signer.pem"))).isEqualTo(firstPem);
            assertThat(api.provision("00-11-22-FF-FE-00-40-01", "demo-sensor").statusCode()).isEqualTo(409);
            byte[] secondBundle = api.get("/api/v1/devices/00-11-22-FF-FE-00-40-01/bundle").body();
            X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(firstPem.getBytes(StandardCharsets.US_ASCII)));
            BundleVerifier verifier = BundleVerifier.builder().trustAnchor(anchor).build();
            BundlePayload before = verifier.verify(firstBundle, VerificationContext.standalone()).payload();
            BundlePayload after = verifier.verify(secondBundle, VerificationContext.standalone()).payload();
            // The sealed PSK opened after the restart is the key issued before it; the sequence continues.
            assertThat(after.server("fleetkey").orElseThrow().credentials())
                    .isEqualTo(before.server("fleetkey").orElseThrow().credentials());
            assertThat(after.sequence()).isEqualTo(before.sequence() + 1);
        }
    }

    @Test
    void wrongKeystorePasswordStopsTheStartWithAClearMessage(CapturedOutput output) {
        Path dataDir = TestService.newDataDir();
        start(dataDir, true).close();
        Map<String, Object> properties = TestService.properties(dataDir, true);
        properties.put("FLEETKEY_KEYSTORE_PASSWORD", "not-the-password");

        assertThatThrownBy(() -> run(properties).close()).isInstanceOf(RuntimeException.class);

        assertThat(output.getAll())
                .contains("FLEETKEY_KEYSTORE_PASSWORD is not the password it was created with")
                .contains("Set FLEETKEY_KEYSTORE_PASSWORD to the password the file was created with.");
    }

    @Test
    void invalidTemplateStopsTheStartNamingFileAndField(CapturedOutput output) throws Exception {
        Path templates = Files.createDirectories(TestService.newDataDir().resolveSibling("templates"));
        Files.writeString(templates.resolve("broken.yaml"), Files.readString(
                TestService.repositoryTemplates().resolve("demo-sensor.yaml")).replace("coaps://localhost:5684", "udp://localhost"));
        Map<String, Object> properties = TestService.properties(TestService.newDataDir(), true);
        properties.put("fleetkey.templates-dir", templates.toString());

        assertThatThrownBy(() -> run(properties).close()).isInstanceOf(RuntimeException.class);

        assertThat(output.getAll())
                .contains(templates.resolve("broken.yaml") + ": servers[0].uri: must be coaps://host:port (got 'udp://localhost')")
                .contains("Fix servers[0].uri in " + templates.resolve("broken.yaml"));
    }

    private static ConfigurableApplicationContext start(Path dataDir, boolean withAdminPassword) {
        return run(TestService.properties(dataDir, withAdminPassword));
    }

    /** Settings as command-line arguments, which (unlike builder defaults) override application.yml. */
    private static ConfigurableApplicationContext run(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("server.port", "0");
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(FleetkeyApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}

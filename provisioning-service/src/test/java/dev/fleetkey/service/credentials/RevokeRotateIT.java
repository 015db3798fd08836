package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.devices.CredentialRotation;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import dev.fleetkey.service.system.InvalidFieldException;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Revocation and rotation over real HTTP, observed where it matters: the credential directory the device
 * endpoint asks on every handshake, the bundles, and the audit trail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevokeRotateIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of("diversified.yaml", """
                id: diversified
                version: 1
                servers:
                  - name: fleetkey
                    uri: coaps://localhost:5684
                    mode: psk
                    psk:
                      identity: diversified
                      key-version: 3
                bundle:
                  allow-unencrypted-secrets: true
                """)).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceCredentialDirectory directory;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CredentialRotation rotation;

    @Autowired
    BundleIssuer bundles;

    ServiceHttp http;

    @BeforeEach
    void client() {
        http = new ServiceHttp(port);
    }

    @Test
    void revokedDeviceIsRefusedAndShowsWhenAndWhy() {
        byte[] identity = pskIdentity(http.provision("00-11-22-FF-FE-00-80-01", "demo-sensor", null));
        assertThat(directory.findByPskIdentity(identity)).isPresent();

        HttpResponse<byte[]> revoked = http.post("/api/v1/devices/00-11-22-FF-FE-00-80-01/revoke",
                "{\"reason\":\"key compromised\"}");

        assertThat(revoked.statusCode()).as(ServiceHttp.text(revoked)).isEqualTo(200);
        JsonNode view = ServiceHttp.json(revoked);
        assertThat(view.get("state").stringValue()).isEqualTo("REVOKED");
        assertThat(view.get("credentials").get(0).get("status").stringValue()).isEqualTo("revoked");
        assertThat(view.get("credentials").get(0).get("revocationReason").stringValue()).isEqualTo("key compromised");
        assertThat(view.get("credentials").get(0).get("revokedAt").isNull()).isFalse();
        assertThat(directory.findByPskIdentity(identity)).isEmpty();
        assertThat(http.get("/api/v1/devices/00-11-22-FF-FE-00-80-01/bundle").statusCode()).isEqualTo(409);
        assertThat(audit("device.revoked", "00-11-22-FF-FE-00-80-01")).contains("reason:key compromised");
    }

    @Test
    void theServicesRefuseARevokedOrUnknownDeviceWithADomainFailureNamingIt() {
        http.provision("00-11-22-FF-FE-00-80-09", "demo-sensor", null);
        Eui64 revoked = Eui64.parse("00-11-22-FF-FE-00-80-09");
        Eui64 unknown = Eui64.parse("00-11-22-FF-FE-00-80-0A");
        rotation.revoke(revoked, "scrapped");

        assertThatThrownBy(() -> rotation.rotate(revoked, Duration.ZERO, null))
                .isInstanceOfSatisfying(DeviceRevokedException.class, e -> assertThat(e.eui64()).isEqualTo(revoked));
        assertThatThrownBy(() -> bundles.issueDeviceBundle(revoked))
                .isInstanceOfSatisfying(DeviceRevokedException.class, e -> assertThat(e.eui64()).isEqualTo(revoked));
        assertThatThrownBy(() -> bundles.issueDeviceBundle(unknown))
                .isInstanceOfSatisfying(DeviceNotFoundException.class, e -> assertThat(e.eui64()).isEqualTo(unknown));
        assertThatThrownBy(() -> rotation.revoke(unknown, "scrapped")).isInstanceOf(DeviceNotFoundException.class);
        assertThatThrownBy(() -> rotation.revoke(revoked, " ")).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.field()).isEqualTo("reason"));
    }

    @Test
    void revokeWithoutAReasonIs400NamingTheField() {
        http.provision("00-11-22-FF-FE-00-80-02", "demo-sensor", null);

        HttpResponse<byte[]> refused = http.post("/api/v1/devices/00-11-22-FF-FE-00-80-02/revoke", "{}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(refused).get("field").stringValue()).isEqualTo("reason");
    }

    @Test
    void rotatedCredentialsOverlapUntilTheDeadlineThenTheOldOnesAreRefused() throws Exception {
        byte[] old = pskIdentity(http.provision("00-11-22-FF-FE-00-80-03", "demo-sensor", null));

        HttpResponse<byte[]> rotated = http.post("/api/v1/devices/00-11-22-FF-FE-00-80-03/rotate", "{\"overlap\":\"PT2S\"}");

        assertThat(rotated.statusCode()).as(ServiceHttp.text(rotated)).isEqualTo(200);
        JsonNode credentials = ServiceHttp.json(rotated).get("credentials");
        assertThat(credentials).hasSize(2);
        assertThat(credentials.get(0).get("status").stringValue()).isEqualTo("overlap");
        assertThat(credentials.get(1).get("status").stringValue()).isEqualTo("current");
        byte[] fresh = HexFormat.of().parseHex(credentials.get(1).get("pskIdentity").stringValue());
        assertThat(fresh).isNotEqualTo(old);
        assertThat(directory.findByPskIdentity(old)).isPresent();
        assertThat(directory.findByPskIdentity(fresh)).isPresent();
        // the bundle carries the new credentials only
        assertThat(bundlePsk("00-11-22-FF-FE-00-80-03").identity()).isEqualTo(fresh);

        Thread.sleep(2_500);

        assertThat(directory.findByPskIdentity(old)).isEmpty();
        assertThat(directory.findByPskIdentity(fresh)).isPresent();
        assertThat(ServiceHttp.json(http.get("/api/v1/devices/00-11-22-FF-FE-00-80-03")).get("credentials").get(0)
                .get("status").stringValue()).isEqualTo("expired");
        assertThat(audit("device.rotated", "00-11-22-FF-FE-00-80-03")).contains("overlap:PT2S");
    }

    @Test
    void rotationWithoutOverlapRefusesTheOldCredentialAtOnce() {
        byte[] old = pskIdentity(http.provision("00-11-22-FF-FE-00-80-04", "demo-sensor", null));

        assertThat(http.post("/api/v1/devices/00-11-22-FF-FE-00-80-04/rotate", "{\"overlap\":\"PT0S\"}").statusCode())
                .isEqualTo(200);

        assertThat(directory.findByPskIdentity(old)).isEmpty();
    }

    @Test
    void badOverlapIs400NamingTheField() {
        http.provision("00-11-22-FF-FE-00-80-05", "demo-sensor", null);

        HttpResponse<byte[]> refused = http.post("/api/v1/devices/00-11-22-FF-FE-00-80-05/rotate", "{\"overlap\":\"7 days\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(refused).get("field").stringValue()).isEqualTo("overlap");
        assertThat(ServiceHttp.json(refused).get("detail").stringValue()).contains("P7D");
    }

    @Test
    void diversifiedPskRotatesToTheNextKeyVersion() throws Exception {
        byte[] first = pskIdentity(http.provision("00-11-22-FF-FE-00-80-06", "diversified", null));
        assertThat(new String(first, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("v3:001122fffe008006");

        JsonNode credentials = ServiceHttp.json(http.post("/api/v1/devices/00-11-22-FF-FE-00-80-06/rotate", "{}"))
                .get("credentials");

        byte[] second = HexFormat.of().parseHex(credentials.get(1).get("pskIdentity").stringValue());
        assertThat(new String(second, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("v4:001122fffe008006");
        assertThat(credentials.get(0).get("status").stringValue()).isEqualTo("overlap");
        assertThat(directory.findByPskIdentity(first).orElseThrow().psk().key())
                .isNotEqualTo(directory.findByPskIdentity(second).orElseThrow().psk().key());
    }

    @Test
    void reprovisioningUnderPolicyReplaceRevokesTheOldCertificateAndIssuesANewOne() {
        String eui64 = "00-11-22-FF-FE-00-80-07";
        String oldSerial = ServiceHttp.json(http.provision(eui64, "demo-x509", null)).get("credentials").get(0)
                .get("certificateSerial").stringValue();

        HttpResponse<byte[]> again = http.provision(eui64, "demo-x509", null);

        assertThat(again.statusCode()).as(ServiceHttp.text(again)).isEqualTo(201);
        JsonNode credentials = ServiceHttp.json(again).get("credentials");
        assertThat(credentials).hasSize(2);
        assertThat(credentials.get(0).get("certificateSerial").stringValue()).isEqualTo(oldSerial);
        assertThat(credentials.get(0).get("status").stringValue()).isEqualTo("revoked");
        assertThat(credentials.get(0).get("revocationReason").stringValue()).contains("replaced");
        assertThat(credentials.get(1).get("status").stringValue()).isEqualTo("current");
        assertThat(credentials.get(1).get("certificateSerial").stringValue()).isNotEqualTo(oldSerial);
        List<String> usable = jdbc.sql("""
                SELECT c.certificate_serial FROM device_credentials c JOIN devices d ON d.id = c.device_id
                WHERE d.eui64 = :e AND c.revoked_at IS NULL""").param("e", eui64).query(String.class).list();
        assertThat(usable).containsExactly(credentials.get(1).get("certificateSerial").stringValue());
        assertThat(audit("device.replaced", eui64)).contains("demo-x509@1");
    }

    @Test
    void rotationTakesANewKeyMadeOnTheDevice() throws Exception {
        String eui64 = "00-11-22-FF-FE-00-80-08";
        assertThat(http.provision(eui64, "demo-rpk", null).statusCode()).isEqualTo(201);
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();

        HttpResponse<byte[]> rotated = http.post("/api/v1/devices/" + eui64 + "/rotate", "{\"overlap\":\"P1D\","
                + "\"publicKey\":\"" + java.util.Base64.getEncoder().encodeToString(spki) + "\"}");

        assertThat(rotated.statusCode()).as(ServiceHttp.text(rotated)).isEqualTo(200);
        JsonNode fresh = ServiceHttp.json(rotated).get("credentials").get(1);
        assertThat(fresh.get("keyOrigin").stringValue()).isEqualTo("device");
        assertThat(fresh.get("publicKeySha256").stringValue())
                .isEqualTo(Sha256.hex(spki));
        assertThat(http.post("/api/v1/devices/" + eui64 + "/rotate", "{\"publicKey\":\"AAAA\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void rotatingAnUnknownDeviceIs404() {
        assertThat(http.post("/api/v1/devices/00-11-22-FF-FE-00-80-FF/rotate", "{}").statusCode()).isEqualTo(404);
    }

    private ServerCredentials.Psk bundlePsk(String eui64) throws Exception {
        X509Certificate signer = CredentialModesIT.certificate(http.get("/api/v1/trust/bundle-signer.pem").body());
        return (ServerCredentials.Psk) BundleVerifier.builder().trustAnchor(signer).build()
                .verify(http.get("/api/v1/devices/" + eui64 + "/bundle").body(),
                        VerificationContext.forDevice(Eui64.parse(eui64), -1))
                .payload().server("fleetkey").orElseThrow().credentials();
    }

    private static byte[] pskIdentity(HttpResponse<byte[]> created) {
        assertThat(created.statusCode()).as(ServiceHttp.text(created)).isEqualTo(201);
        return HexFormat.of().parseHex(ServiceHttp.json(created).get("credentials").get(0).get("pskIdentity").stringValue());
    }

    private String audit(String action, String eui64) {
        return jdbc.sql("SELECT subject FROM audit_events WHERE action = :a AND subject LIKE :s")
                .param("a", action).param("s", "device:" + eui64 + "%").query(String.class).single();
    }
}

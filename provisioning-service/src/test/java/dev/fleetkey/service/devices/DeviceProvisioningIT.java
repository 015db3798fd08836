package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Provisioning over real HTTP against a real H2 file database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceProvisioningIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void provisioningAnswers201WithTheRecordButNoSecret() throws Exception {
        HttpResponse<byte[]> created = api.provision("00-11-22-ff-fe-00-10-01", "demo-sensor");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/devices/00-11-22-FF-FE-00-10-01");
        JsonNode body = ApiClient.json(created);
        assertThat(body.get("eui64").stringValue()).isEqualTo("00-11-22-FF-FE-00-10-01");
        assertThat(body.get("template").stringValue()).isEqualTo("demo-sensor@1");
        assertThat(body.get("state").stringValue()).isEqualTo("PROVISIONED");
        JsonNode credential = body.get("credentials").get(0);
        assertThat(credential.get("server").stringValue()).isEqualTo("fleetkey");
        assertThat(credential.get("mode").stringValue()).isEqualTo("psk");
        assertThat(credential.get("pskIdentity").stringValue()).matches("[0-9a-f]{32}");
        assertThat(body.get("links").get("bundle").stringValue()).isEqualTo("/api/v1/devices/00-11-22-FF-FE-00-10-01/bundle");

        // The key is only in the signed bundle: the provisioning answer must not contain it in any spelling.
        byte[] psk = pskFromBundle("00-11-22-FF-FE-00-10-01");
        assertThat(psk).hasSize(16);
        String text = ApiClient.text(created);
        assertThat(text).doesNotContainIgnoringCase(HexFormat.of().formatHex(psk))
                .doesNotContain(Base64.getEncoder().encodeToString(psk))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(psk));
    }

    @Test
    void deviceIsFoundByAnyAcceptedSpelling() {
        api.provision("00-11-22-FF-FE-00-10-02", "demo-sensor@1");

        for (String spelling : List.of("00-11-22-FF-FE-00-10-02", "00:11:22:ff:fe:00:10:02", "001122fffe001002")) {
            HttpResponse<byte[]> found = api.get("/api/v1/devices/" + spelling);
            assertThat(found.statusCode()).as(spelling).isEqualTo(200);
            assertThat(ApiClient.json(found).get("eui64").stringValue()).isEqualTo("00-11-22-FF-FE-00-10-02");
        }
    }

    @Test
    void secondProvisioningOfTheSameDeviceIs409AndKeepsTheOneIdentity() {
        String identity = ApiClient.json(api.provision("00-11-22-FF-FE-00-10-03", "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue();

        HttpResponse<byte[]> again = api.provision("001122fffe001003", "demo-sensor");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiClient.json(again).get("detail").stringValue()).contains("already provisioned");
        assertThat(credentialRows("00-11-22-FF-FE-00-10-03")).isEqualTo(1);
        assertThat(ApiClient.json(api.get("/api/v1/devices/00-11-22-FF-FE-00-10-03"))
                .get("credentials").get(0).get("pskIdentity").stringValue()).isEqualTo(identity);
    }

    @Test
    void concurrentRequestsForOneDeviceCreateExactlyOneIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> api.provision("00-11-22-FF-FE-00-10-04", "demo-sensor").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnlyOnce(201).allMatch(s -> s == 201 || s == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(credentialRows("00-11-22-FF-FE-00-10-04")).isEqualTo(1);
    }

    @Test
    void invalidEui64AndUnknownTemplateAre400NamingTheField() {
        HttpResponse<byte[]> badEui = api.provision("00-11-22", "demo-sensor");
        HttpResponse<byte[]> badTemplate = api.provision("00-11-22-FF-FE-00-10-05", "no-such-product");

        assertThat(badEui.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(badEui).get("field").stringValue()).isEqualTo("eui64");
        assertThat(badTemplate.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(badTemplate).get("field").stringValue()).isEqualTo("template");
        assertThat(api.get("/api/v1/devices/00-11-22-FF-FE-00-10-05").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedJsonIs400() {
        HttpResponse<byte[]> response = api.postJson("/api/v1/devices", "{\"eui64\": \"00-11");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void unauthenticatedCallIs401Problem() {
        HttpResponse<byte[]> response = ApiClient.anonymous(port).provision("00-11-22-FF-FE-00-10-06", "demo-sensor");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(api.get("/api/v1/devices/00-11-22-FF-FE-00-10-06").statusCode()).isEqualTo(404);
    }

    @Test
    void pskIsStoredSealedNotInClear() throws Exception {
        api.provision("00-11-22-FF-FE-00-10-07", "demo-sensor");
        byte[] psk = pskFromBundle("00-11-22-FF-FE-00-10-07");

        byte[] stored = jdbc.sql("""
                SELECT c.sealed_secret FROM device_credentials c JOIN devices d ON d.id = c.device_id
                WHERE d.eui64 = '00-11-22-FF-FE-00-10-07'""").query(byte[].class).single();

        assertThat(stored.length).isGreaterThan(psk.length);
        assertThat(HexFormat.of().formatHex(stored)).doesNotContain(HexFormat.of().formatHex(psk));
    }

    private long credentialRows(String eui64) {
        return jdbc.sql("SELECT COUNT(*) FROM device_credentials c JOIN devices d ON d.id = c.device_id WHERE d.eui64 = :e")
                .param("e", eui64).query(Long.class).single();
    }

    private byte[] pskFromBundle(String eui64) throws Exception {
        HttpResponse<byte[]> bundle = api.get("/api/v1/devices/" + eui64 + "/bundle");
        assertThat(bundle.statusCode()).isEqualTo(200);
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(api.get("/api/v1/trust/bundle-signer.pem").body()));
        var payload = BundleVerifier.builder().trustAnchor(signer).build()
                .verify(bundle.body(), VerificationContext.forDevice(Eui64.parse(eui64), -1)).payload();
        return ((ServerCredentials.Psk) payload.server("fleetkey").orElseThrow().credentials()).key();
    }
}

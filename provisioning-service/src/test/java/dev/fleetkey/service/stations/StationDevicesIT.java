package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Station device work over real HTTP and a real H2 file database: templates, own devices, idempotency, policies, EOL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StationDevicesIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path data = TestService.newDataDir();
        TestService.register(registry, data);
        registry.add("fleetkey.templates-dir", () -> StationFixtures.templatesDir(data).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void stationProvisionsItsTemplateAndReadsItsDevice() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-2", 600, "demo-sensor").token());

        HttpResponse<byte[]> created = station.provision("00-11-22-FF-FE-01-00-01", "demo-sensor");

        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        assertThat(ApiClient.json(created).get("station").stringValue()).isEqualTo("line-2");
        assertThat(ApiClient.json(created).get("links").get("bundle").stringValue())
                .isEqualTo("/api/v1/devices/00-11-22-FF-FE-01-00-01/bundle");
        assertThat(station.get("/api/v1/devices/00-11-22-FF-FE-01-00-01").statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/devices/00-11-22-FF-FE-01-00-01").statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices").query(Long.class).single()).isPositive();
    }

    @Test
    void stationMayNotUseATemplateOutsideItsList() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-3", 600, "demo-keep").token());

        HttpResponse<byte[]> refused = station.provision("00-11-22-FF-FE-01-00-02", "demo-sensor");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(refused).get("type").stringValue()).isEqualTo("urn:fleetkey:problem:template-not-allowed");
        assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("demo-keep");
    }

    @Test
    void stationCannotSeeOrTouchAnotherStationsDevice() {
        ApiClient a = ApiClient.station(port, StationFixtures.createStation(admin, "line-5a", 600, "demo-sensor").token());
        ApiClient b = ApiClient.station(port, StationFixtures.createStation(admin, "line-5b", 600, "demo-sensor").token());
        assertThat(a.provision("00-11-22-FF-FE-01-00-05", "demo-sensor").statusCode()).isEqualTo(201);

        assertThat(b.get("/api/v1/devices/00-11-22-FF-FE-01-00-05").statusCode()).isEqualTo(404);
        assertThat(b.get("/api/v1/devices/00-11-22-FF-FE-01-00-05/bundle").statusCode()).isEqualTo(404);
        assertThat(b.postJson("/api/v1/devices/00-11-22-FF-FE-01-00-05/eol", "{\"result\":\"pass\"}").statusCode()).isEqualTo(404);
        assertThat(b.provision("00-11-22-FF-FE-01-00-05", "demo-sensor").statusCode()).isEqualTo(409);
        assertThat(a.get("/api/v1/devices/00-11-22-FF-FE-01-00-05/bundle").statusCode()).isEqualTo(200);
    }

    @Test
    void retryWithTheSameIdempotencyKeyGetsTheSameAnswerAndAnotherBodyGets422() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-8", 600, "demo-sensor").token());
        String body = "{\"eui64\":\"00-11-22-FF-FE-01-00-08\",\"template\":\"demo-sensor\"}";

        HttpResponse<byte[]> first = station.send("POST", "/api/v1/devices", body, "Idempotency-Key", "k-8");
        HttpResponse<byte[]> retry = station.send("POST", "/api/v1/devices", body, "Idempotency-Key", "k-8");
        HttpResponse<byte[]> other = station.send("POST", "/api/v1/devices",
                body.replace("01-00-08", "01-00-09"), "Idempotency-Key", "k-8");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(ApiClient.json(other).get("type").stringValue()).isEqualTo("urn:fleetkey:problem:idempotency-key-reused");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 IN ('00-11-22-FF-FE-01-00-08', '00-11-22-FF-FE-01-00-09')")
                .query(Long.class).single()).isEqualTo(1);
        // without the key, the natural key decides: demo-sensor's policy is fail
        HttpResponse<byte[]> again = station.send("POST", "/api/v1/devices", body);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(ApiClient.json(again).get("detail").stringValue()).contains("already provisioned");
    }

    @Test
    void idempotencyKeysAreScopedPerPrincipalAndWorkForAdministratorsToo() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-8b", 600, "demo-sensor").token());
        String adminBody = "{\"eui64\":\"00-11-22-FF-FE-01-00-20\",\"template\":\"demo-sensor\"}";

        HttpResponse<byte[]> first = admin.send("POST", "/api/v1/devices", adminBody, "Idempotency-Key", "shared");
        HttpResponse<byte[]> retry = admin.send("POST", "/api/v1/devices", adminBody, "Idempotency-Key", "shared");
        HttpResponse<byte[]> stationSameKey = station.send("POST", "/api/v1/devices",
                "{\"eui64\":\"00-11-22-FF-FE-01-00-21\",\"template\":\"demo-sensor\"}", "Idempotency-Key", "shared");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(stationSameKey.statusCode()).isEqualTo(201);
        assertThat(ApiClient.json(stationSameKey).get("eui64").stringValue()).isEqualTo("00-11-22-FF-FE-01-00-21");
    }

    @Test
    void reprovisioningUnderReturnExistingAnswersTheExistingDevice() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-9", 600, "demo-keep").token());

        HttpResponse<byte[]> first = station.provision("00-11-22-FF-FE-01-00-10", "demo-keep");
        HttpResponse<byte[]> second = station.provision("00-11-22-FF-FE-01-00-10", "demo-keep");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(second).get("credentials")).isEqualTo(ApiClient.json(first).get("credentials"));
    }

    @Test
    void endOfLineReportMovesTheDeviceToVerifiedOrFailed() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-10", 600, "demo-sensor").token());
        String device = "/api/v1/devices/00-11-22-FF-FE-01-00-11";
        station.provision("00-11-22-FF-FE-01-00-11", "demo-sensor");

        HttpResponse<byte[]> failed = station.postJson(device + "/eol", "{\"result\":\"fail\",\"detail\":\"no radio\"}");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(station.get(device)).get("state").stringValue()).isEqualTo("FAILED");
        assertThat(ApiClient.json(station.get(device)).get("endOfLineDetail").stringValue()).isEqualTo("no radio");

        assertThat(station.postJson(device + "/eol", "{\"result\":\"pass\"}").statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(admin.get(device)).get("state").stringValue()).isEqualTo("VERIFIED");

        HttpResponse<byte[]> twice = station.postJson(device + "/eol", "{\"result\":\"pass\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        HttpResponse<byte[]> bad = station.postJson(device + "/eol", "{\"result\":\"maybe\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(bad).get("field").stringValue()).isEqualTo("result");
    }

    @Test
    void bundleComesDirectlyWhenAskedWithAccept() throws Exception {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-11", 600, "demo-sensor").token());

        HttpResponse<byte[]> bundle = station.send("POST", "/api/v1/devices",
                "{\"eui64\":\"00-11-22-FF-FE-01-00-12\",\"template\":\"demo-sensor\"}", "Accept", "application/vnd.fleetkey.bundle+cms");

        assertThat(bundle.statusCode()).isEqualTo(201);
        assertThat(bundle.headers().firstValue("Content-Type")).hasValue("application/vnd.fleetkey.bundle+cms");
        Eui64 eui64 = Eui64.parse("00-11-22-FF-FE-01-00-12");
        assertThat(verifier().verify(bundle.body(), VerificationContext.forDevice(eui64, -1)).payload().device()).isEqualTo(eui64);
    }

    @Test
    void retriedBundleRequestGetsTheSameBundleNotANewOne() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-11b", 600, "demo-sensor").token());
        String body = "{\"eui64\":\"00-11-22-FF-FE-01-00-14\",\"template\":\"demo-sensor\"}";

        HttpResponse<byte[]> first = station.send("POST", "/api/v1/devices", body, "Accept",
                "application/vnd.fleetkey.bundle+cms", "Idempotency-Key", "bundle-14");
        HttpResponse<byte[]> retry = station.send("POST", "/api/v1/devices", body, "Accept",
                "application/vnd.fleetkey.bundle+cms", "Idempotency-Key", "bundle-14");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Content-Type")).hasValue("application/vnd.fleetkey.bundle+cms");
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(jdbc.sql("""
                SELECT COUNT(*) FROM bundles_issued b JOIN devices d ON d.id = b.device_id
                WHERE d.eui64 = '00-11-22-FF-FE-01-00-14'""").query(Long.class).single()).isEqualTo(1);
        // the stored answer holds the bundle (and its PSK) only sealed
        byte[] stored = jdbc.sql("SELECT sealed_body FROM idempotency_keys WHERE idempotency_key = 'bundle-14'")
                .query(byte[].class).single();
        assertThat(java.util.Collections.indexOfSubList(toList(stored), toList(java.util.Arrays.copyOfRange(first.body(),
                first.body().length - 64, first.body().length)))).isEqualTo(-1);
    }

    private static java.util.List<Byte> toList(byte[] bytes) {
        java.util.List<Byte> list = new java.util.ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    private BundleVerifier verifier() throws Exception {
        byte[] pem = ApiClient.anonymous(port).get("/api/v1/trust/bundle-signer.pem").body();
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }
}

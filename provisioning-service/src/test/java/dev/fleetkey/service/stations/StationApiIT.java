package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Stations over real HTTP and a real H2 file database: tokens, what a station may do, quotas, idempotency, EOL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class StationApiIT {

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
    void createdStationsTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        HttpResponse<byte[]> created = admin.postJson("/api/v1/stations",
                "{\"name\":\"line-1\",\"allowedTemplates\":[\"demo-sensor\"],\"quotaPerMinute\":600}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = ApiClient.json(created);
        String token = body.get("token").stringValue();
        assertThat(token).matches("fks_[A-Za-z0-9_-]{43}");
        long id = body.get("station").get("id").longValue();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/stations/" + id);
        assertThat(ApiClient.text(admin.get("/api/v1/stations/" + id))).doesNotContain(token);
        assertThat(ApiClient.text(admin.get("/api/v1/stations"))).doesNotContain(token).contains("line-1");
        String stored = jdbc.sql("SELECT token_sha256 FROM stations WHERE id = :id").param("id", id).query(String.class).single();
        assertThat(stored).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))));
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
    void stationTokenCannotReachAdministratorEndpoints() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-4", 600, "demo-sensor").token());

        assertThat(station.get("/api/v1/stations").statusCode()).isEqualTo(403);
        assertThat(station.postJson("/api/v1/stations", "{\"name\":\"evil\",\"allowedTemplates\":[\"demo-sensor\"],"
                + "\"quotaPerMinute\":5}").statusCode()).isEqualTo(403);
        assertThat(station.send("PATCH", "/api/v1/stations/1", "{\"quotaPerMinute\":99999}").statusCode()).isEqualTo(403);
        assertThat(station.send("DELETE", "/api/v1/stations/1", null).statusCode()).isEqualTo(403);
        assertThat(station.send("POST", "/api/v1/stations/1/token", null).statusCode()).isEqualTo(403);
        assertThat(station.get("/").statusCode()).isNotEqualTo(200);
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
    void unknownRevokedAndRotatedTokensAre401AndNeverLogged(CapturedOutput output) {
        StationFixtures.MadeStation made = StationFixtures.createStation(admin, "line-6", 600, "demo-sensor");
        String bogus = "fks_" + "A".repeat(43);

        HttpResponse<byte[]> unknown = ApiClient.station(port, bogus).get("/api/v1/devices/00-11-22-FF-FE-01-00-06");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"fleetkey\"");
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        String rotated = ApiClient.json(admin.send("POST", "/api/v1/stations/" + made.id() + "/token", null))
                .get("token").stringValue();
        assertThat(ApiClient.station(port, made.token()).provision("00-11-22-FF-FE-01-00-06", "demo-sensor").statusCode())
                .isEqualTo(401);
        assertThat(ApiClient.station(port, rotated).provision("00-11-22-FF-FE-01-00-06", "demo-sensor").statusCode())
                .isEqualTo(201);

        assertThat(admin.send("DELETE", "/api/v1/stations/" + made.id(), null).statusCode()).isEqualTo(200);
        assertThat(ApiClient.station(port, rotated).get("/api/v1/devices/00-11-22-FF-FE-01-00-06").statusCode()).isEqualTo(401);
        assertThat(output.getAll()).doesNotContain(made.token()).doesNotContain(rotated).doesNotContain(bogus);
    }

    @Test
    void stationOverItsQuotaGets429WithRetryAfter() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-7", 3, "demo-sensor").token());
        for (int i = 0; i < 3; i++) {
            assertThat(station.get("/api/v1/devices/00-11-22-FF-FE-01-00-07").statusCode()).isEqualTo(404);
        }

        HttpResponse<byte[]> limited = station.get("/api/v1/devices/00-11-22-FF-FE-01-00-07");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Integer::parseInt)).hasValueSatisfying(
                s -> assertThat(s).isBetween(1, 20));
        assertThat(ApiClient.json(limited).get("type").stringValue()).isEqualTo("urn:fleetkey:problem:quota-exceeded");
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
    void disabledStationIsRefusedUntilEnabledAgain() {
        StationFixtures.MadeStation made = StationFixtures.createStation(admin, "line-8c", 600, "demo-sensor");
        ApiClient station = ApiClient.station(port, made.token());

        HttpResponse<byte[]> disabled = admin.send("PATCH", "/api/v1/stations/" + made.id(), "{\"enabled\":false}");
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(disabled).get("enabled").booleanValue()).isFalse();
        assertThat(station.provision("00-11-22-FF-FE-01-00-22", "demo-sensor").statusCode()).isEqualTo(401);

        assertThat(admin.send("PATCH", "/api/v1/stations/" + made.id(), "{\"enabled\":true}").statusCode()).isEqualTo(200);
        assertThat(station.provision("00-11-22-FF-FE-01-00-22", "demo-sensor").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> typo = admin.send("PATCH", "/api/v1/stations/" + made.id(), "{\"quotaPerMinut\":5}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(typo).get("field").stringValue()).isEqualTo("quotaPerMinut");
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
    void transportKeyMustBeP256AndBundlesAreNeverSentInClearToAStationThatHasOne() throws Exception {
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        String wrongCurve = Base64.getEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded());
        HttpResponse<byte[]> refused = admin.postJson("/api/v1/stations", "{\"name\":\"line-12\",\"allowedTemplates\":"
                + "[\"demo-sensor\"],\"quotaPerMinute\":60,\"transportPublicKey\":\"" + wrongCurve + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(refused).get("field").stringValue()).isEqualTo("transportPublicKey");

        KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
        p256.initialize(new ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(
                p256.generateKeyPair().getPublic().getEncoded()) + "\\n-----END PUBLIC KEY-----\\n";
        HttpResponse<byte[]> created = admin.postJson("/api/v1/stations", "{\"name\":\"line-12\",\"allowedTemplates\":"
                + "[\"demo-sensor\"],\"quotaPerMinute\":60,\"transportPublicKey\":\"" + pem + "\"}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        assertThat(ApiClient.json(created).get("station").get("transportKeySha256").stringValue()).hasSize(64);
        ApiClient station = ApiClient.station(port, ApiClient.json(created).get("token").stringValue());

        HttpResponse<byte[]> bundle = station.send("POST", "/api/v1/devices",
                "{\"eui64\":\"00-11-22-FF-FE-01-00-13\",\"template\":\"demo-sensor\"}", "Accept", "application/vnd.fleetkey.bundle+cms");

        // interim until bundles can be sealed to a recipient: refused, and nothing was provisioned
        assertThat(bundle.statusCode()).isEqualTo(422);
        assertThat(ApiClient.json(bundle).get("type").stringValue()).isEqualTo("urn:fleetkey:problem:sealing-unavailable");
        assertThat(admin.get("/api/v1/devices/00-11-22-FF-FE-01-00-13").statusCode()).isEqualTo(404);
    }

    @Test
    void openApiDescriptionAndSwaggerUiAreServed() {
        HttpResponse<byte[]> docs = ApiClient.anonymous(port).get("/v3/api-docs");

        assertThat(docs.statusCode()).as(ApiClient.text(docs)).isEqualTo(200);
        JsonNode paths = ApiClient.json(docs).get("paths");
        assertThat(paths.has("/api/v1/stations")).isTrue();
        assertThat(paths.has("/api/v1/batches")).isTrue();
        assertThat(paths.has("/api/v1/devices/{eui64}/eol")).isTrue();
        assertThat(paths.get("/api/v1/batches").get("post").get("parameters").toString()).contains("Idempotency-Key");
        assertThat(paths.get("/api/v1/devices").get("post").get("responses").has("429")).isTrue();
        assertThat(ApiClient.json(docs).get("components").get("schemas").has("Problem")).isTrue();
        assertThat(ApiClient.anonymous(port).get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(ApiClient.anonymous(port).get("/swagger-ui.html").statusCode()).isIn(200, 302);
    }

    private BundleVerifier verifier() throws Exception {
        byte[] pem = ApiClient.anonymous(port).get("/api/v1/trust/bundle-signer.pem").body();
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }
}

package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.JsonNode;

/** Stations over real HTTP and a real H2 file database: tokens, what a station may reach, quotas, OpenAPI. */
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

    @Autowired
    ApplicationContext context;

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
        assertThat(stored).isEqualTo(Sha256.hex(token));
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

        // sealed to the station's key (StationSealingIT opens it); never a bundle with the PSK in clear
        assertThat(bundle.statusCode()).as(ApiClient.text(bundle)).isEqualTo(201);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'bundle.issued' AND subject LIKE :s")
                .param("s", "device:00-11-22-FF-FE-01-00-13%secrets:sealed").query(Long.class).single()).isEqualTo(1);
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
        // the caller comes from the authentication, never from the request
        assertThat(paths.get("/api/v1/batches").get("post").get("parameters").toString()).doesNotContainIgnoringCase("caller");
        assertThat(paths.get("/api/v1/devices/{eui64}").get("get").get("parameters").toString())
                .doesNotContainIgnoringCase("caller");
        assertThat(ApiClient.json(docs).get("components").toString()).doesNotContainIgnoringCase("caller");
        assertThat(paths.get("/api/v1/devices").get("post").get("responses").has("429")).isTrue();
        assertThat(ApiClient.json(docs).get("components").get("schemas").has("Problem")).isTrue();
        assertThat(ApiClient.anonymous(port).get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(ApiClient.anonymous(port).get("/swagger-ui.html").statusCode()).isIn(200, 302);
    }

    @Test
    void eachDevicePathAndMethodHasOneHandlerForEveryCaller() {
        Map<String, List<String>> handlers = context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values().stream()
                .flatMap(mapping -> mapping.getHandlerMethods().entrySet().stream())
                .flatMap(entry -> entry.getKey().getPatternValues().stream()
                        .filter(pattern -> pattern.startsWith("/api/v1/devices"))
                        .flatMap(pattern -> entry.getKey().getMethodsCondition().getMethods().stream()
                                .map(method -> method + " " + pattern))
                        .map(key -> Map.entry(key, entry.getValue().toString())))
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));

        assertThat(handlers).containsKeys("POST /api/v1/devices", "GET /api/v1/devices/{eui64}",
                "GET /api/v1/devices/{eui64}/bundle", "POST /api/v1/devices/{eui64}/eol");
        assertThat(handlers).allSatisfy((key, methods) -> assertThat(methods).as(key).hasSize(1));
    }

    @Test
    void theOneProvisioningOperationDocumentsTheAnswersOfEveryCaller() {
        JsonNode paths = ApiClient.json(ApiClient.anonymous(port).get("/v3/api-docs")).get("paths");

        JsonNode created = paths.get("/api/v1/devices").get("post").get("responses").get("201").get("content");
        assertThat(created.get("application/json").toString()).contains("DeviceView").contains("DeviceRecord");
        assertThat(created.has("application/vnd.fleetkey.bundle+cms")).isTrue();
        assertThat(paths.get("/api/v1/devices").get("post").get("responses").get("200").get("content")
                .has("application/vnd.fleetkey.bundle+cms")).isTrue();
        assertThat(paths.get("/api/v1/devices/{eui64}").get("get").get("responses").get("200").toString())
                .contains("DeviceView").contains("DeviceRecord");
        // only the documented request headers: the caller's Accept is described by the answers, not as a parameter
        assertThat(paths.get("/api/v1/devices").get("post").get("parameters").toString()).doesNotContain("\"Accept\"");
    }
}

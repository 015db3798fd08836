package dev.fleetkey.service.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import dev.fleetkey.service.stations.StationFixtures;
import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAdministration;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/prometheus} over real HTTP: a scraper with an auditor's login sees the provisioning, quota and
 * coaps handshake series move as a station provisions, runs into its quota and a device handshakes (a real DTLS
 * handshake, accepted and refused); without a login it gets 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsIT {

    private static final String SCRAPER_PASSWORD = "scraper-password-1";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    UserAdministration users;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Test
    void aLineSupervisorsScraperSeesProvisioningsQuotaHitsAndHandshakesPerStationMove() throws Exception {
        users.create("prometheus", SCRAPER_PASSWORD, Role.AUDITOR);
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-3", 3, "demo-sensor").token());
        String before = scrape();

        assertThat(station.provision("00-11-22-FF-FE-16-00-01", "demo-sensor").statusCode()).isEqualTo(201);
        assertThat(station.provision("00-11-22-FF-FE-16-00-01", "demo-sensor").statusCode()).isEqualTo(409);
        assertThat(station.provision("00-11-22-FF-FE-16-00-02", "demo-sensor").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> overQuota = station.provision("00-11-22-FF-FE-16-00-03", "demo-sensor");
        assertThat(overQuota.statusCode()).isEqualTo(429);
        handshakeAsProvisionedDevice(admin, "00-11-22-FF-FE-16-00-04");
        handshakeWithAWrongKey(admin, "00-11-22-FF-FE-16-00-05");
        String after = scrape();

        String created = "fleetkey_provisionings_total{mode=\"psk\",outcome=\"created\",station=\"line-3\"}";
        String conflict = "fleetkey_provisionings_total{mode=\"psk\",outcome=\"conflict\",station=\"line-3\"}";
        String quotaHits = "fleetkey_station_quota_hits_total{station=\"line-3\"}";
        assertThat(value(before, created)).isZero();
        assertThat(value(after, created)).isEqualTo(2);
        assertThat(value(after, conflict)).isEqualTo(1);
        assertThat(value(after, quotaHits)).isEqualTo(1);
        String succeeded = "fleetkey_endpoint_handshakes_total{outcome=\"succeeded\"}";
        String refused = "fleetkey_endpoint_handshakes_total{outcome=\"refused\"}";
        assertThat(value(after, succeeded)).isGreaterThan(value(before, succeeded));
        assertThat(value(after, refused)).isGreaterThan(value(before, refused));
        assertThat(value(after, "fleetkey_provisionings_total{mode=\"psk\",outcome=\"created\",station=\"(user)\"}"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void theMetricsNeedAnAuditorOrAdministratorLogin() {
        HttpResponse<byte[]> anonymous = ApiClient.anonymous(port).get("/actuator/prometheus");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/actuator/prometheus").statusCode()).isEqualTo(200);
    }

    @Test
    void healthShowsTheDatabaseToAnAdministrator() {
        HttpResponse<byte[]> health = ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/actuator/health");

        var db = ApiClient.json(health).get("components").get("db");
        assertThat(db.get("status").stringValue()).isEqualTo("UP");
        assertThat(db.get("details").get("database").stringValue()).isEqualTo("H2");
    }

    private String scrape() {
        HttpResponse<byte[]> answer = ApiClient.withAuthorization(port, "Basic " + Base64.getEncoder()
                .encodeToString(("prometheus:" + SCRAPER_PASSWORD).getBytes(StandardCharsets.UTF_8))).get("/actuator/prometheus");
        assertThat(answer.statusCode()).as(ApiClient.text(answer)).isEqualTo(200);
        return ApiClient.text(answer);
    }

    /** The value of one series in a Prometheus text exposition; 0 when it is not there (yet). */
    static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private void handshakeAsProvisionedDevice(ApiClient admin, String eui64) throws Exception {
        assertThat(admin.provision(eui64, "demo-sensor").statusCode()).isEqualTo(201);
        try (SecureSession session = open(bundle(admin, eui64))) {
            assertThat(session.get("/hello").text()).isEqualTo(eui64);
        }
    }

    private void handshakeWithAWrongKey(ApiClient admin, String eui64) throws Exception {
        assertThat(admin.provision(eui64, "demo-sensor").statusCode()).isEqualTo(201);
        BundlePayload bundle = bundle(admin, eui64);
        assertThat(admin.postJson("/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"test\"}").statusCode()).isEqualTo(200);
        try (SecureSession session = open(bundle)) {
            assertThatThrownBy(() -> session.get("/hello")).isNotNull();
        }
    }

    private SecureSession open(BundlePayload bundle) throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                endpoint.boundAddress().getPort())), SessionOptions.defaults());
    }

    private static BundlePayload bundle(ApiClient admin, String eui64) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(admin.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build()
                .verify(admin.get("/api/v1/devices/" + eui64 + "/bundle").body(), VerificationContext.forDevice(Eui64.parse(eui64), -1))
                .payload();
    }
}

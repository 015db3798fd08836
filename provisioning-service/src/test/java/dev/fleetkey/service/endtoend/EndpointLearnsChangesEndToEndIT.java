package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.service.FleetkeyApplication;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The endpoint keeps the devices it authenticated in memory, yet learns of changes without a restart: a
 * revocation committed by another service instance on the same database (here a second Spring context on the
 * same H2 database, which the endpoint's instance hears nothing from) is refused within the poll interval, and
 * a rotated server credential is served from the next handshake after the poll.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointLearnsChangesEndToEndIT {

    private static final Path DATA = TestService.newDataDir();
    private static final Duration POLL = Duration.ofSeconds(1);
    /** The poll interval, plus time for a loaded build machine to run one poll and one request. */
    private static final Duration WITHIN_POLL = POLL.plusSeconds(2);
    private static ConfigurableApplicationContext otherInstance;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DATA);
        registry.add("fleetkey.device-endpoint.enabled", () -> "true");
        registry.add("fleetkey.device-endpoint.port", () -> "0");
        registry.add("fleetkey.device-endpoint.bind-address", () -> "127.0.0.1");
        registry.add("fleetkey.device-endpoint.change-poll", () -> POLL.toMillis() + "ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @AfterAll
    static void stopOtherInstance() {
        if (otherInstance != null) {
            otherInstance.close();
        }
    }

    @Test
    void aDeviceRevokedThroughAnotherInstanceIsRefusedWithinThePollInterval() throws Exception {
        String eui64 = "00-11-22-FF-FE-00-17-01";
        ServiceHttp here = new ServiceHttp(port);
        assertThat(here.provision(eui64, "demo-sensor", null).statusCode()).isEqualTo(201);
        ServiceHttp there = new ServiceHttp(otherInstancePort());

        try (SecureSession session = open(bundle(here, eui64))) {
            assertThat(session.get("/hello").code()).as("answered from the endpoint's cache from now on").isEqualTo("2.05");
            assertThat(session.get("/hello").code()).isEqualTo("2.05");

            assertThat(there.post("/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"stolen\"}").statusCode())
                    .isEqualTo(200);
            long revokedAt = System.nanoTime();

            CoapReply reply = session.get("/hello");
            while (reply.code().equals("2.05") && System.nanoTime() - revokedAt < WITHIN_POLL.toNanos()) {
                Thread.sleep(100);
                reply = session.get("/hello");
            }
            assertThat(reply.code()).as("refused within %s of the other instance's revocation", WITHIN_POLL)
                    .isEqualTo("4.03");
            assertThat(reply.text()).contains("revoked or expired");
        }
    }

    @Test
    void aRotatedServerCredentialIsServedWithoutARestart() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        assertThat(http.provision("00-11-22-FF-FE-00-17-02", "demo-rpk", null).statusCode()).isEqualTo(201);
        try (SecureSession before = open(bundle(http, "00-11-22-FF-FE-00-17-02"))) {
            assertThat(before.get("/hello").code()).isEqualTo("2.05");
        }

        assertThat(http.post("/api/v1/pki/servers/fleetkey/credentials", "{\"host\":\"localhost\"}").statusCode())
                .isEqualTo(200);
        // a device provisioned now pins the new key: it connects only once the endpoint serves that key
        assertThat(http.provision("00-11-22-FF-FE-00-17-03", "demo-rpk", null).statusCode()).isEqualTo(201);
        BundlePayload rotated = bundle(http, "00-11-22-FF-FE-00-17-03");
        long rotatedAt = System.nanoTime();
        Optional<String> connected = Optional.empty();
        Exception lastRefusal = null;
        while (connected.isEmpty() && System.nanoTime() - rotatedAt < WITHIN_POLL.toNanos()) {
            try (SecureSession after = open(rotated)) {
                connected = Optional.of(after.get("/hello").code());
            } catch (Exception refused) {
                lastRefusal = refused;
                Thread.sleep(100);
            }
        }
        assertThat(connected).as("a device pinning the rotated key connects within %s (last refusal: %s)", WITHIN_POLL,
                lastRefusal).hasValue("2.05");
    }

    private int otherInstancePort() {
        if (otherInstance == null) {
            Map<String, Object> properties = new HashMap<>(TestService.properties(DATA, true));
            properties.put("server.port", "0");
            // as arguments: they must win over application.yml, as the first instance's test properties do
            otherInstance = new SpringApplicationBuilder(FleetkeyApplication.class).run(properties.entrySet().stream()
                    .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        }
        return Integer.parseInt(otherInstance.getEnvironment().getProperty("local.server.port"));
    }

    private SecureSession open(BundlePayload bundle) throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                endpoint.boundAddress().getPort())), SessionOptions.defaults());
    }

    private static BundlePayload bundle(ServiceHttp http, String eui64) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(http.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build()
                .verify(http.get("/api/v1/devices/" + eui64 + "/bundle").body(),
                        VerificationContext.forDevice(Eui64.parse(eui64), -1))
                .payload();
    }
}

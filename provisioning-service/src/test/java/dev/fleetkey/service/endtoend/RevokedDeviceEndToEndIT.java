package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 13's report, against the whole service (real H2, real UDP and DTLS, changes through the API): a
 * device that saved its session, then was revoked or had its credential rotated out (overlap over), cannot
 * resume it (the resumption turns into a full handshake, refused with the alert a fresh one gets), and a
 * session still open at that moment gets 4.03 on its next {@code GET /hello}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevokedDeviceEndToEndIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @TempDir
    Path stateDirectory;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo-sensor, 00-11-22-FF-FE-00-13-01, decrypt_error",
            "demo-rpk, 00-11-22-FF-FE-00-13-02, bad_certificate",
            "demo-x509, 00-11-22-FF-FE-00-13-03, certificate_unknown"})
    void aRevokedDeviceNeitherResumesNorKeepsItsOpenSession(String template, String eui64, String freshHandshakeAlert)
            throws Exception {
        assertSessionsEndWith(template, eui64, freshHandshakeAlert, http -> assertThat(http.post(
                "/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"stolen\"}").statusCode()).isEqualTo(200));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo-sensor, 00-11-22-FF-FE-00-13-11, decrypt_error",
            "demo-rpk, 00-11-22-FF-FE-00-13-12, bad_certificate",
            "demo-x509, 00-11-22-FF-FE-00-13-13, certificate_unknown"})
    void theOldCredentialsSessionsEndWithTheRotationsOverlap(String template, String eui64, String freshHandshakeAlert)
            throws Exception {
        assertSessionsEndWith(template, eui64, freshHandshakeAlert, http -> assertThat(http.post(
                "/api/v1/devices/" + eui64 + "/rotate", "{\"overlap\":\"PT0S\"}").statusCode()).isEqualTo(200));
    }

    /** What the service does to the device's credential, through its API. */
    private interface CredentialChange {
        void apply(ServiceHttp http) throws Exception;
    }

    private void assertSessionsEndWith(String template, String eui64, String freshHandshakeAlert,
                                       CredentialChange change) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        assertThat(http.provision(eui64, template, null).statusCode()).isEqualTo(201);
        BundlePayload bundle = bundle(http, eui64);
        SessionOptions saved = SessionOptions.defaults().withStateDirectory(stateDirectory);
        try (SecureSession first = open(bundle, saved)) {
            assertThat(first.get("/hello").text()).isEqualTo(eui64);
        }

        try (SecureSession open = open(bundle, saved)) {
            assertThat(open.get("/hello").code()).isEqualTo("2.05");
            assertThat(open.connectionInfo().orElseThrow().resumed()).as("resumed before the revocation").isTrue();

            change.apply(http);

            try (SecureSession resuming = open(bundle, saved)) {
                assertThatThrownBy(() -> resuming.get("/hello")).isInstanceOfSatisfying(AlertReceivedException.class,
                        e -> assertThat(e.alert()).isEqualTo(freshHandshakeAlert));
            }
            CoapReply refused = open.get("/hello");
            assertThat(refused.code()).isEqualTo("4.03");
            assertThat(refused.text()).contains("revoked or expired");
        }
    }

    private SecureSession open(BundlePayload bundle, SessionOptions options) throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                endpoint.boundAddress().getPort())), options);
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

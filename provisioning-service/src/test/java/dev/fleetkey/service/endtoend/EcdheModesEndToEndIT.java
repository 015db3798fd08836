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
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The raw-public-key and certificate paths with real HTTP, UDP and DTLS: a device provisioned over the API
 * handshakes with the service's device endpoint using only its bundle (the endpoint's key pinned, or its
 * certificate checked against the Fleetkey root), is greeted by its EUI-64, and is refused once revoked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EcdheModesEndToEndIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo-rpk, 00-11-22-FF-FE-00-D0-01", "demo-x509, 00-11-22-FF-FE-00-D0-02"})
    void provisionedDeviceHandshakesWithItsBundleUntilRevoked(String template, String eui64) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        Eui64 device = Eui64.parse(eui64);
        assertThat(http.provision(eui64, template, null).statusCode()).isEqualTo(201);
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(http.get("/api/v1/trust/bundle-signer.pem").body()));
        BundlePayload payload = BundleVerifier.builder().trustAnchor(signer).build()
                .verify(http.get("/api/v1/devices/" + device + "/bundle").body(), VerificationContext.forDevice(device, -1))
                .payload();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                endpoint.boundAddress().getPort());

        try (SecureSession session = SecureSession.open(payload, "fleetkey", Optional.of(address))) {
            CoapReply reply = session.get("/hello");
            assertThat(reply.code()).isEqualTo("2.05");
            assertThat(reply.text()).isEqualTo(eui64);
            assertThat(session.connectionInfo()).hasValueSatisfying(info ->
                    assertThat(info.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"));
        }

        assertThat(http.post("/api/v1/devices/" + device + "/revoke", "{\"reason\":\"stolen\"}").statusCode())
                .isEqualTo(200);

        assertThatThrownBy(() -> {
            try (SecureSession session = SecureSession.open(payload, "fleetkey", Optional.of(address))) {
                session.get("/hello");
            }
        }).isInstanceOf(AlertReceivedException.class);
    }
}

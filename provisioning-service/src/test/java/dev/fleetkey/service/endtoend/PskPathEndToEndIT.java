package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole PSK path with real HTTP, real UDP and real DTLS: provision, download the bundle, verify it as
 * the device runtime does, handshake with the service's device endpoint, and get an answer naming the device.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PskPathEndToEndIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Test
    void provisionedDeviceHandshakesWithItsBundleAndIsGreetedByItsEui64() throws Exception {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-70-01");
        assertThat(api.provision("00:11:22:ff:fe:00:70:01", "demo-sensor").statusCode()).isEqualTo(201);
        byte[] bundle = api.get("/api/v1/devices/" + device + "/bundle").body();
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(ApiClient.anonymous(port).get("/api/v1/trust/bundle-signer.pem").body()));

        BundlePayload payload = BundleVerifier.builder().trustAnchor(signer).build()
                .verify(bundle, VerificationContext.forDevice(device, -1)).payload();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.boundAddress().getPort());
        try (SecureSession session = SecureSession.open(payload, "fleetkey", Optional.of(address))) {
            CoapReply reply = session.get("/hello");

            assertThat(reply.code()).isEqualTo("2.05");
            assertThat(reply.text()).isEqualTo("00-11-22-FF-FE-00-70-01");
            assertThat(session.connectionInfo()).hasValueSatisfying(info ->
                    assertThat(info.cipherSuite()).isEqualTo("TLS_PSK_WITH_AES_128_CCM_8"));
        }
    }
}

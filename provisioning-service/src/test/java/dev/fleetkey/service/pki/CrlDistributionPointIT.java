package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DeviceRepository;

/**
 * A template asking for a CRL distribution point gets device certificates naming the device CA's CRL under
 * {@code fleetkey.public-base-url}; openssl follows that URL ({@code -crl_download}) to the running service and
 * refuses a revoked device's certificate while another device's passes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class CrlDistributionPointIT {

    private static final int PORT = freePort();
    private static final String TEMPLATE = """
            id: cdp-x509
            version: 1
            servers:
              - name: fleetkey
                uri: coaps://localhost:5684
                mode: x509
            credentials:
              crl-distribution-point: true
              renew-before: 30d
            bundle:
              allow-unencrypted-secrets: true
            """;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("server.port", () -> PORT);
        registry.add("fleetkey.public-base-url", () -> "http://127.0.0.1:" + PORT + "/");
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of("cdp-x509.yaml", TEMPLATE))
                .toString());
    }

    @Autowired
    DeviceRepository devices;

    @Autowired
    CertificateAuthorities authorities;

    @TempDir
    Path dir;

    @Test
    void opensslDownloadsTheCrlTheCertificateNamesAndRefusesARevokedDevice() throws Exception {
        ServiceHttp http = new ServiceHttp(PORT);
        assertThat(http.provision("00-11-22-FF-FE-00-CD-01", "cdp-x509", null).statusCode()).isEqualTo(201);
        assertThat(http.provision("00-11-22-FF-FE-00-CD-02", "cdp-x509", null).statusCode()).isEqualTo(201);
        assertThat(http.provision("00-11-22-FF-FE-00-CD-03", "demo-x509", null).statusCode()).isEqualTo(201);
        HttpResponse<byte[]> revoke = http.post("/api/v1/devices/00-11-22-FF-FE-00-CD-01/revoke",
                "{\"reason\":\"key compromised\"}");
        assertThat(revoke.statusCode()).as(ServiceHttp.text(revoke)).isEqualTo(200);

        Path chain = Openssl.writePem(dir, "chain.pem", authorities.deviceCa().chain().toArray());
        Path revoked = Openssl.writePem(dir, "revoked.pem", certificateOf("00-11-22-FF-FE-00-CD-01"));
        Path kept = Openssl.writePem(dir, "kept.pem", certificateOf("00-11-22-FF-FE-00-CD-02"));
        Path plain = Openssl.writePem(dir, "plain.pem", certificateOf("00-11-22-FF-FE-00-CD-03"));

        assertThat(Openssl.run(dir, "x509", "-in", revoked.toString(), "-noout", "-ext", "crlDistributionPoints")
                .output()).contains("URI:http://127.0.0.1:" + PORT + "/api/v1/pki/cas/device/crl");
        assertThat(Openssl.run(dir, "x509", "-in", plain.toString(), "-noout", "-text").output())
                .doesNotContain("CRL Distribution Points");
        ExternalCommand.Result refused = Openssl.run(dir, "verify", "-crl_check", "-crl_download", "-CAfile",
                chain.toString(), revoked.toString());
        ExternalCommand.Result passed = Openssl.run(dir, "verify", "-crl_check", "-crl_download", "-CAfile",
                chain.toString(), kept.toString());
        assertThat(refused.succeeded()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("certificate revoked");
        assertThat(passed.succeeded()).as(passed.output()).isTrue();
    }

    private X509Certificate certificateOf(String eui64) throws Exception {
        long id = devices.findByEui64(Eui64.parse(eui64)).orElseThrow().id();
        DeviceCredential credential = devices.allCredentials(id).get(0);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(credential.certificate()));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

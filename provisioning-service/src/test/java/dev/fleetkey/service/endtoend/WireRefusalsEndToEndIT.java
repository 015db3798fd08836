package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.TestCertificates;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The endpoint's refusals as a client sees them on the wire, against the whole service (real H2, real
 * credentials from the API, real UDP and DTLS): {@code openssl s_client -dtls1_2} completes a PSK and an
 * X.509 handshake with provisioned devices; an unknown identity, a wrong PSK and a revoked PSK device all get
 * a fatal {@code decrypt_error}, also when it resumes a session saved before the revocation; a device
 * certificate from another CA gets {@code unknown_ca}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WireRefusalsEndToEndIT {

    /** A PSK template with a printable identity, so openssl's {@code -psk_identity} can send it. */
    private static final String PRINTABLE_PSK_TEMPLATE = """
            id: wire-psk
            version: 1
            description: PSK device with a printable identity, for openssl s_client
            servers:
              - name: fleetkey
                uri: coaps://localhost:5684
                mode: psk
                psk:
                  key-length: 16
                  identity: pattern
                  identity-pattern: "wire-{eui64}"
            bundle:
              validity: 30d
              allow-unencrypted-secrets: true
            reprovision-policy: fail
            """;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
        registry.add("fleetkey.templates-dir", () -> templatesWithPrintablePsk().toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @TempDir
    Path files;

    @Test
    void opensslCompletesAPskHandshakeWithAProvisionedDevice() throws Exception {
        ServerCredentials.Psk psk = psk(provision("00-11-22-FF-FE-00-F1-01", "wire-psk"));

        String output = opensslPsk(new String(psk.identity(), StandardCharsets.US_ASCII), psk.key());

        assertThat(output).contains("CONNECTION ESTABLISHED").contains("Ciphersuite: PSK-AES128-CCM8")
                .contains("Protocol version: DTLSv1.2");
    }

    @Test
    void unknownIdentityWrongKeyAndRevokedDeviceAllGetDecryptError() throws Exception {
        ServerCredentials.Psk psk = psk(provision("00-11-22-FF-FE-00-F1-02", "wire-psk"));
        String identity = new String(psk.identity(), StandardCharsets.US_ASCII);
        byte[] wrongKey = psk.key().clone();
        wrongKey[0] ^= 1;

        assertThat(opensslPsk("wire-nobody", psk.key())).contains("alert decrypt error")
                .doesNotContain("unknown psk identity").doesNotContain("CONNECTION ESTABLISHED");
        assertThat(opensslPsk(identity, wrongKey)).contains("alert decrypt error")
                .doesNotContain("CONNECTION ESTABLISHED");

        BundlePayload revoked = provision("00-11-22-FF-FE-00-F1-03", "wire-psk");
        assertThat(new ServiceHttp(port).post("/api/v1/devices/00-11-22-FF-FE-00-F1-03/revoke",
                "{\"reason\":\"stolen\"}").statusCode()).isEqualTo(200);
        assertThat(opensslPsk(new String(psk(revoked).identity(), StandardCharsets.US_ASCII), psk(revoked).key()))
                .contains("alert decrypt error").doesNotContain("CONNECTION ESTABLISHED");
        assertThatThrownBy(() -> {
            try (SecureSession session = SecureSession.open(revoked, "fleetkey", Optional.of(endpointAddress()))) {
                session.get("/hello");
            }
        }).isInstanceOfSatisfying(AlertReceivedException.class,
                e -> assertThat(e.alert()).containsIgnoringCase("decrypt"));
    }

    @Test
    void opensslCannotResumeTheSessionOfARevokedPskDevice() throws Exception {
        ServerCredentials.Psk psk = psk(provision("00-11-22-FF-FE-00-F1-04", "wire-psk"));
        String identity = new String(psk.identity(), StandardCharsets.US_ASCII);
        Path session = files.resolve("session.pem");
        assertThat(opensslPskSession(identity, psk.key(), "-sess_out", session)).contains("New, TLSv1.2");
        assertThat(opensslPskSession(identity, psk.key(), "-sess_in", session)).as("resumes before the revocation")
                .contains("Reused, TLSv1.2");

        assertThat(new ServiceHttp(port).post("/api/v1/devices/00-11-22-FF-FE-00-F1-04/revoke",
                "{\"reason\":\"stolen\"}").statusCode()).isEqualTo(200);

        assertThat(opensslPskSession(identity, psk.key(), "-sess_in", session)).contains("alert decrypt error")
                .doesNotContain("Reused, TLSv1.2");
    }

    @Test
    void opensslCompletesAnX509HandshakeWithAProvisionedDevice() throws Exception {
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) provision("00-11-22-FF-FE-00-F2-01",
                "demo-x509").servers().get(0).credentials();
        List<X509Certificate> chain = new ArrayList<>();
        for (byte[] der : x509.clientChain()) {
            chain.add(certificate(der));
        }
        Path certificate = TestCertificates.writePem(files.resolve("device.pem"), chain.toArray());
        Path key = TestCertificates.writePem(files.resolve("device-key.pem"), KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(x509.clientPrivateKey())));

        String output = opensslCertificate(certificate, key, certificate(x509.trustAnchors().get(0)));

        assertThat(output).contains("CONNECTION ESTABLISHED").contains("Ciphersuite: ECDHE-ECDSA-AES128-CCM8")
                .contains("Verification: OK");
    }

    @Test
    void deviceCertificateFromAnotherCaGetsUnknownCa() throws Exception {
        BundlePayload bundle = provision("00-11-22-FF-FE-00-F2-02", "demo-x509");
        TestCertificates.Issued rogueCa = TestCertificates.ca("Rogue CA");
        TestCertificates.Issued rogue = TestCertificates.device(Eui64.parse("00-11-22-FF-FE-00-F2-02"), rogueCa);
        Path certificate = TestCertificates.writePem(files.resolve("rogue.pem"), rogue.certificate(),
                rogueCa.certificate());
        Path key = TestCertificates.writeKeyPem(files.resolve("rogue-key.pem"), rogue.keyPair());
        X509Certificate root = certificate(((ServerCredentials.Certificates) bundle.servers().get(0).credentials())
                .trustAnchors().get(0));

        String output = opensslCertificate(certificate, key, root);

        assertThat(output).contains("alert unknown ca").doesNotContain("CONNECTION ESTABLISHED");
    }

    private String opensslPsk(String identity, byte[] key) throws Exception {
        return run(List.of("/usr/bin/openssl", "s_client", "-dtls1_2", "-brief",
                "-connect", "127.0.0.1:" + endpoint.boundAddress().getPort(), "-psk_identity", identity,
                "-psk", HexFormat.of().formatHex(key), "-cipher", "PSK-AES128-CCM8", "-timeout"));
    }

    /** Not {@code -brief}: the full report says whether the session was "New" or "Reused". */
    private String opensslPskSession(String identity, byte[] key, String sessionOption, Path sessionFile)
            throws Exception {
        return run(List.of("/usr/bin/openssl", "s_client", "-dtls1_2", "-connect",
                "127.0.0.1:" + endpoint.boundAddress().getPort(), "-psk_identity", identity,
                "-psk", HexFormat.of().formatHex(key), "-cipher", "PSK-AES128-CCM8", "-timeout",
                sessionOption, sessionFile.toString()));
    }

    private String opensslCertificate(Path certificate, Path key, X509Certificate root) throws Exception {
        Path anchor = TestCertificates.writePem(files.resolve("root.pem"), root);
        return run(List.of("/usr/bin/openssl", "s_client", "-dtls1_2", "-brief",
                "-connect", "127.0.0.1:" + endpoint.boundAddress().getPort(), "-cert", certificate.toString(),
                "-key", key.toString(), "-CAfile", anchor.toString(), "-verify_hostname", "localhost",
                "-verify_return_error", "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-groups", "P-256", "-timeout"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // EOF on stdin: quit after the handshake
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private BundlePayload provision(String eui64, String template) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        assertThat(http.provision(eui64, template, null).statusCode()).isEqualTo(201);
        X509Certificate signer = certificate(http.get("/api/v1/trust/bundle-signer.pem").body());
        return BundleVerifier.builder().trustAnchor(signer).build().verify(
                http.get("/api/v1/devices/" + eui64 + "/bundle").body(),
                VerificationContext.forDevice(Eui64.parse(eui64), -1)).payload();
    }

    private static ServerCredentials.Psk psk(BundlePayload bundle) {
        return (ServerCredentials.Psk) bundle.servers().get(0).credentials();
    }

    private static X509Certificate certificate(byte[] encoded) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
    }

    private InetSocketAddress endpointAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.boundAddress().getPort());
    }

    private static Path templatesWithPrintablePsk() {
        try {
            Path dir = Files.createDirectories(TestService.newDataDir().resolveSibling("templates"));
            try (Stream<Path> committed = Files.list(TestService.repositoryTemplates())) {
                for (Path template : committed.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(template, dir.resolve(template.getFileName()));
                }
            }
            Files.writeString(dir.resolve("wire-psk.yaml"), PRINTABLE_PSK_TEMPLATE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

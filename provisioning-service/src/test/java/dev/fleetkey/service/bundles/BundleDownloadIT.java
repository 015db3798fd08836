package dev.fleetkey.service.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BadSignatureException;
import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Bundles fetched over real HTTP verify with the bundle-format verifier and with openssl. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BundleDownloadIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path work;

    ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void downloadedBundleVerifiesAndCarriesTheDevicesCredentials() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-20-01");
        String identity = ApiClient.json(api.provision(device.canonical(), "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue();

        HttpResponse<byte[]> download = api.get("/api/v1/devices/" + device.compact() + "/bundle");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/vnd.fleetkey.bundle+cms");
        assertThat(download.headers().firstValue("Cache-Control")).hasValue("no-store");
        BundlePayload payload = verifier().verify(download.body(), VerificationContext.forDevice(device, -1)).payload();
        assertThat(payload.kind()).isEqualTo(BundleKind.DEVICE);
        assertThat(payload.device()).isEqualTo(device);
        assertThat(payload.sequence()).isEqualTo(1);
        assertThat(payload.template()).isEqualTo(new TemplateRef("demo-sensor", 1));
        assertThat(payload.secretsInClear()).isTrue();
        assertThat(Duration.between(payload.issuedAt(), payload.notAfter())).isEqualTo(Duration.ofDays(365));
        ServerEntry server = payload.server("fleetkey").orElseThrow();
        assertThat(server.uri()).isEqualTo(URI.create("coaps://localhost:5684"));
        assertThat(server.host()).isEqualTo("localhost");
        assertThat(server.cipherSuites()).containsExactly(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        ServerCredentials.Psk psk = (ServerCredentials.Psk) server.credentials();
        assertThat(HexFormat.of().formatHex(psk.identity())).isEqualTo(identity);
        assertThat(psk.key()).hasSize(16);
        assertThat(payload.dtlsPolicy().initialRetransmission()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void everyDownloadIsANewBundleWithTheNextSequenceAndTheSameKey() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-20-02");
        api.provision(device.canonical(), "demo-sensor");

        byte[] first = api.get("/api/v1/devices/" + device + "/bundle").body();
        byte[] second = api.get("/api/v1/devices/" + device + "/bundle").body();

        BundlePayload one = verifier().verify(first, VerificationContext.forDevice(device, -1)).payload();
        BundlePayload two = verifier().verify(second, VerificationContext.forDevice(device, 1)).payload();
        assertThat(two.sequence()).isEqualTo(2);
        assertThat(two.bundleIdHex()).isNotEqualTo(one.bundleIdHex());
        assertThat(two.server("fleetkey").orElseThrow().credentials()).isEqualTo(one.server("fleetkey").orElseThrow().credentials());
        assertThatThrownBy(() -> verifier().verify(first, VerificationContext.forDevice(device, 2)))
                .isInstanceOf(RollbackException.class);
        List<Long> recorded = jdbc.sql("""
                SELECT b.sequence_number FROM bundles_issued b JOIN devices d ON d.id = b.device_id
                WHERE d.eui64 = :e ORDER BY b.sequence_number""").param("e", device.canonical()).query(Long.class).list();
        assertThat(recorded).containsExactly(1L, 2L);
    }

    @Test
    void opensslAcceptsTheBundleWithTheServedSignerCertificate() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-20-03");
        api.provision(device.canonical(), "demo-sensor");
        Path bundle = Files.write(work.resolve("bundle.der"), api.get("/api/v1/devices/" + device + "/bundle").body());
        Path signer = Files.write(work.resolve("signer.pem"), api.get("/api/v1/trust/bundle-signer.pem").body());
        Path content = work.resolve("payload.cbor");

        Result verified = openssl("cms", "-verify", "-inform", "DER", "-binary", "-CAfile", signer.toString(),
                "-in", bundle.toString(), "-out", content.toString());

        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Verification successful");
        BundlePayload fromOpenssl = BundleCodec.decode(Files.readAllBytes(content));
        BundlePayload fromVerifier = verifier().verify(Files.readAllBytes(bundle), VerificationContext.standalone()).payload();
        assertThat(fromOpenssl).isEqualTo(fromVerifier);
    }

    @Test
    void bundleWithOneByteChangedIsRefusedByOpensslAndTheVerifier() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-20-04");
        api.provision(device.canonical(), "demo-sensor");
        byte[] bytes = api.get("/api/v1/devices/" + device + "/bundle").body();
        BundlePayload payload = verifier().verify(bytes, VerificationContext.standalone()).payload();
        // Change one byte of the PSK inside the signed content.
        byte[] key = ((ServerCredentials.Psk) payload.server("fleetkey").orElseThrow().credentials()).key();
        int at = indexOf(bytes, key);
        assertThat(at).isPositive();
        bytes[at] ^= 0x01;
        Path tampered = Files.write(work.resolve("tampered.der"), bytes);
        Path signer = Files.write(work.resolve("signer.pem"), api.get("/api/v1/trust/bundle-signer.pem").body());

        Result refused = openssl("cms", "-verify", "-inform", "DER", "-binary", "-CAfile", signer.toString(),
                "-in", tampered.toString(), "-out", work.resolve("out.cbor").toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("verification failure");
        assertThatThrownBy(() -> verifier().verify(bytes, VerificationContext.standalone()))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void bundleOfUnknownDeviceIs404() {
        HttpResponse<byte[]> response = api.get("/api/v1/devices/00-11-22-FF-FE-00-20-FF/bundle");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void bundleDownloadNeedsALogin() {
        api.provision("00-11-22-FF-FE-00-20-05", "demo-sensor");

        assertThat(ApiClient.anonymous(port).get("/api/v1/devices/00-11-22-FF-FE-00-20-05/bundle").statusCode()).isEqualTo(401);
    }

    private BundleVerifier verifier() throws Exception {
        byte[] pem = ApiClient.anonymous(port).get("/api/v1/trust/bundle-signer.pem").body();
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }

    record Result(int exitCode, String output) {
    }

    private static Result openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

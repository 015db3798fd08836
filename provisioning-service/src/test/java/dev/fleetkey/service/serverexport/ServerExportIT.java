package dev.fleetkey.service.serverexport;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.testing.TestCertificates;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.pki.Openssl;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The export for an operator's own server over real HTTP: sealed for the recipient key, it opens with that
 * key (in Java and with the openssl binary), not with another, and lists exactly the template's non-revoked
 * devices with the PSKs, keys and CA chain their bundles hold; each export is audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServerExportIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditEntries audit;

    @Test
    void pskExportOpensWithTheRecipientKeyAndListsExactlyTheNonRevokedDevices(@TempDir Path dir) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        List<BundlePayload> kept = new ArrayList<>();
        for (String eui64 : List.of("00-11-22-FF-FE-00-E1-01", "00-11-22-FF-FE-00-E1-02", "00-11-22-FF-FE-00-E1-03")) {
            kept.add(provision(http, eui64, "demo-sensor"));
        }
        provision(http, "00-11-22-FF-FE-00-E1-04", "demo-rpk");
        assertThat(http.post("/api/v1/devices/00-11-22-FF-FE-00-E1-02/revoke", "{\"reason\":\"lost\"}").statusCode())
                .isEqualTo(200);
        kept.remove(1);
        KeyPair recipient = p256();

        HttpResponse<byte[]> response = export(http, "demo-sensor", "fleetkey", recipient);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/cms");

        JsonNode document = JSON.readTree(BundleSecrets.openData(response.body(), recipient.getPrivate()));
        assertThat(document.get("format").asString()).isEqualTo("fleetkey-server-export/1");
        assertThat(document.get("server").get("mode").asString()).isEqualTo("psk");
        List<String> listed = new ArrayList<>();
        document.get("devices").forEach(d -> listed.add(d.get("eui64").asString()));
        assertThat(listed).containsExactly("00-11-22-FF-FE-00-E1-01", "00-11-22-FF-FE-00-E1-03");
        for (int i = 0; i < kept.size(); i++) {
            ServerCredentials.Psk psk = (ServerCredentials.Psk) kept.get(i).servers().get(0).credentials();
            JsonNode entry = document.get("devices").get(i);
            assertThat(entry.get("pskIdentityHex").asString()).isEqualTo(HexFormat.of().formatHex(psk.identity()));
            assertThat(entry.get("pskHex").asString()).isEqualTo(HexFormat.of().formatHex(psk.key()));
        }
        assertThat(document.get("deviceCaChainPem").asString()).startsWith("-----BEGIN CERTIFICATE-----");

        Path envelope = Files.write(dir.resolve("export.cms"), response.body());
        TestCertificates.writeKeyPem(dir.resolve("recipient.key"), recipient);
        ExternalCommand.Result opened = Openssl.run(dir, "cms", "-decrypt", "-inform", "DER", "-in", "export.cms",
                "-inkey", "recipient.key", "-out", "export.json");
        assertThat(opened.succeeded()).as(opened.output()).isTrue();
        assertThat(JSON.readTree(Files.readAllBytes(dir.resolve("export.json")))).isEqualTo(document);
        assertThat(envelope).exists();

        assertThatThrownBy(() -> BundleSecrets.openData(response.body(), p256().getPrivate()))
                .isInstanceOf(SecretsDecryptionException.class);
        assertThat(new String(response.body(), StandardCharsets.ISO_8859_1))
                .doesNotContain(document.get("devices").get(0).get("pskIdentityHex").asString());
        assertThat(audit.latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("server-export.issued");
            assertThat(e.subject()).contains("demo-sensor").contains("devices:2");
        });
    }

    @Test
    void certificateExportCarriesTheDeviceCaChainItsRevocationListAndEachDevicesKey() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        BundlePayload bundle = provision(http, "00-11-22-FF-FE-00-E2-01", "demo-x509");
        KeyPair recipient = p256();

        JsonNode document = JSON.readTree(BundleSecrets.openData(
                export(http, "demo-x509", "fleetkey", recipient).body(), recipient.getPrivate()));

        assertThat(document.get("devices")).hasSize(1);
        JsonNode device = document.get("devices").get(0);
        assertThat(device.get("mode").asString()).isEqualTo("x509");
        byte[] leaf = ((ServerCredentials.Certificates) bundle.servers().get(0).credentials()).clientChain().get(0);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(leaf));
        assertThat(Base64.getDecoder().decode(device.get("subjectPublicKeyInfo").asString()))
                .isEqualTo(certificate.getPublicKey().getEncoded());
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(document.get("deviceCaChainPem").asString().getBytes(StandardCharsets.US_ASCII)));
        certificate.verify(ca.getPublicKey());
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                document.get("deviceCaCrlPem").asString().getBytes(StandardCharsets.US_ASCII)));
        crl.verify(ca.getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    }

    @Test
    void unknownServerAndBadRecipientKeyAreRefusedWithWhatToFix() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        HttpResponse<byte[]> noServer = export(http, "demo-sensor", "nonesuch", p256());
        assertThat(noServer.statusCode()).isEqualTo(404);
        assertThat(ServiceHttp.text(noServer)).contains("has no server 'nonesuch'");
        HttpResponse<byte[]> badKey = http.post("/api/v1/templates/demo-sensor/servers/fleetkey/export",
                "{\"recipientPublicKey\":\"bm90IGEga2V5\"}");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.text(badKey)).contains("not an EC P-256 public key");
    }

    private static HttpResponse<byte[]> export(ServiceHttp http, String template, String server, KeyPair recipient) {
        String key = Base64.getEncoder().encodeToString(recipient.getPublic().getEncoded());
        return http.post("/api/v1/templates/" + template + "/servers/" + server + "/export",
                "{\"recipientPublicKey\":\"" + key + "\"}");
    }

    private static BundlePayload provision(ServiceHttp http, String eui64, String template) throws Exception {
        assertThat(http.provision(eui64, template, null).statusCode()).isEqualTo(201);
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(http.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build().verify(
                http.get("/api/v1/devices/" + eui64 + "/bundle").body(),
                VerificationContext.forDevice(Eui64.parse(eui64), -1)).payload();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}

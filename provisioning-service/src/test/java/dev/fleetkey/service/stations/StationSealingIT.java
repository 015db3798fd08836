package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Stations over real HTTP: bundles sealed to a station's transport key (single and batch), keys made on the
 * device submitted as a public key or CSR, and re-provisioning under policy replace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class StationSealingIT {

    private static final String BUNDLE = "application/vnd.fleetkey.bundle+cms";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path data = TestService.newDataDir();
        TestService.register(registry, data);
        registry.add("fleetkey.templates-dir", () -> templatesDir(data).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeviceCredentialDirectory directory;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void stationWithATransportKeyGetsBundlesSealedToItThatOnlyItsKeyOpens(CapturedOutput output) throws Exception {
        KeyPair transport = p256();
        ApiClient station = stationWithKey("sealed-line", transport);
        Eui64 eui64 = Eui64.parse("00-11-22-FF-FE-05-00-01");

        HttpResponse<byte[]> answer = station.send("POST", "/api/v1/devices",
                "{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-sensor\"}", "Accept", BUNDLE);

        assertThat(answer.statusCode()).as(ApiClient.text(answer)).isEqualTo(201);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith(BUNDLE);
        BundlePayload payload = verify(answer.body(), eui64);
        assertThat(payload.hasSealedSecrets()).isTrue();
        assertThat(payload.secretsInClear()).isFalse();
        assertThat(payload.hasClearSecrets()).isFalse();
        assertThatThrownBy(() -> BundleSecrets.open(payload, p256().getPrivate()))
                .isInstanceOf(SecretsDecryptionException.class);
        ServerCredentials.Psk psk = (ServerCredentials.Psk) BundleSecrets.open(payload, transport.getPrivate())
                .servers().get(0).credentials();
        byte[] key = psk.key();
        assertThat(key).isEqualTo(directory.findByPskIdentity(psk.identity()).orElseThrow().psk().key());
        assertNowhereInClear(key, output, answer.body(), station.get("/api/v1/devices/" + eui64).body());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'bundle.issued' AND subject LIKE :s")
                .param("s", "device:" + eui64 + "%secrets:sealed").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void batchBundlesAreSealedToTheStationKeyToo(CapturedOutput output) throws Exception {
        KeyPair transport = p256();
        ApiClient station = stationWithKey("sealed-batch-line", transport);
        List<String> eui64s = List.of("00-11-22-FF-FE-05-01-01", "00-11-22-FF-FE-05-01-02", "00-11-22-FF-FE-05-01-03");

        HttpResponse<byte[]> accepted = station.postJson("/api/v1/batches",
                "{\"template\":\"demo-sensor\",\"eui64s\":[\"" + String.join("\",\"", eui64s) + "\"]}");

        assertThat(accepted.statusCode()).as(ApiClient.text(accepted)).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode done = StationFixtures.awaitBatchFinished(station, location);
        assertThat(done.get("succeeded").intValue()).as(done.toString()).isEqualTo(3);
        for (int i = 0; i < eui64s.size(); i++) {
            HttpResponse<byte[]> bundle = station.get(location + "/items/" + i + "/bundle");
            assertThat(bundle.statusCode()).as(ApiClient.text(bundle)).isEqualTo(200);
            BundlePayload payload = verify(bundle.body(), Eui64.parse(eui64s.get(i)));
            assertThat(payload.hasSealedSecrets()).isTrue();
            assertThat(payload.hasClearSecrets()).isFalse();
            ServerCredentials.Psk psk = (ServerCredentials.Psk) BundleSecrets.open(payload, transport.getPrivate())
                    .servers().get(0).credentials();
            assertThat(psk.key()).isEqualTo(directory.findByPskIdentity(psk.identity()).orElseThrow().psk().key());
            assertNowhereInClear(psk.key(), output, bundle.body());
        }
    }

    @Test
    void stationSubmitsAPublicKeyMadeOnTheDeviceAndItsBundleCarriesNoPrivateKey() throws Exception {
        ApiClient station = station("rpk-line");
        KeyPair device = p256();
        String spki = Base64.getEncoder().encodeToString(device.getPublic().getEncoded());

        HttpResponse<byte[]> created = station.postJson("/api/v1/devices",
                "{\"eui64\":\"00-11-22-FF-FE-05-02-01\",\"template\":\"demo-rpk\",\"publicKey\":\"" + spki + "\"}");

        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        assertThat(storedKeys("00-11-22-FF-FE-05-02-01")).containsExactly("DEVICE " + HexFormat.of().formatHex(
                device.getPublic().getEncoded()));
        HttpResponse<byte[]> bundle = station.get("/api/v1/devices/00-11-22-FF-FE-05-02-01/bundle");
        ServerCredentials.RawPublicKey rpk = (ServerCredentials.RawPublicKey) verify(bundle.body(),
                Eui64.parse("00-11-22-FF-FE-05-02-01")).servers().get(0).credentials();
        assertThat(rpk.clientPrivateKey()).isNull();
        assertThat(rpk.clientPublicKey()).isEqualTo(device.getPublic().getEncoded());

        HttpResponse<byte[]> wrong = station.postJson("/api/v1/devices",
                "{\"eui64\":\"00-11-22-FF-FE-05-02-02\",\"template\":\"demo-rpk\",\"publicKey\":\"bm90IGEga2V5\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(wrong).get("field").stringValue()).isEqualTo("publicKey");
        assertThat(station.get("/api/v1/devices/00-11-22-FF-FE-05-02-02").statusCode()).isEqualTo(404);
    }

    @Test
    void stationSubmitsACsrAndReprovisioningUnderReplaceRotatesTheCertificate() throws Exception {
        ApiClient station = station("x509-line");
        String eui64 = "00-11-22-FF-FE-05-03-01";
        KeyPair first = p256();
        KeyPair second = p256();

        HttpResponse<byte[]> created = station.postJson("/api/v1/devices",
                "{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-x509\",\"csr\":\"" + csr(first, eui64) + "\"}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        X509Certificate issued = currentCertificate(eui64);
        assertThat(issued.getPublicKey().getEncoded()).isEqualTo(first.getPublic().getEncoded());

        HttpResponse<byte[]> replaced = station.postJson("/api/v1/devices",
                "{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-x509\",\"csr\":\"" + csr(second, eui64) + "\"}");

        assertThat(replaced.statusCode()).as(ApiClient.text(replaced)).isBetween(200, 201);
        X509Certificate rotated = currentCertificate(eui64);
        assertThat(rotated.getPublicKey().getEncoded()).isEqualTo(second.getPublic().getEncoded());
        assertThat(rotated.getSerialNumber()).isNotEqualTo(issued.getSerialNumber());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 = :e").param("e", eui64).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT c.revocation_reason FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e AND c.revoked_at IS NOT NULL").param("e", eui64).query(String.class).list())
                .singleElement().asString().contains("replaced");
        assertThat(directory.findByCertificate(Eui64.parse(eui64), issued)).as("the old certificate is refused").isEmpty();
        assertThat(directory.findByCertificate(Eui64.parse(eui64), rotated)).isPresent();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'device.replaced' AND subject LIKE :s")
                .param("s", "device:" + eui64 + "%").query(Long.class).single()).isEqualTo(1);
    }

    private ApiClient station(String name) {
        return ApiClient.station(port, StationFixtures.createStation(admin, name, 10_000, "demo-sensor", "demo-rpk",
                "demo-x509").token());
    }

    private ApiClient stationWithKey(String name, KeyPair transport) {
        HttpResponse<byte[]> created = admin.postJson("/api/v1/stations", "{\"name\":\"" + name + "\",\"allowedTemplates\":"
                + "[\"demo-sensor\"],\"quotaPerMinute\":10000,\"transportPublicKey\":\""
                + Base64.getEncoder().encodeToString(transport.getPublic().getEncoded()) + "\"}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        return ApiClient.station(port, ApiClient.json(created).get("token").stringValue());
    }

    private List<String> storedKeys(String eui64) {
        return jdbc.sql("SELECT c.key_origin, c.public_key FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                        + " WHERE d.eui64 = :e AND c.revoked_at IS NULL").param("e", eui64)
                .query((rs, n) -> rs.getString(1) + " " + HexFormat.of().formatHex(rs.getBytes(2))).list();
    }

    private X509Certificate currentCertificate(String eui64) throws Exception {
        byte[] der = jdbc.sql("SELECT c.certificate FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e AND c.revoked_at IS NULL").param("e", eui64).query(byte[].class).single();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private BundlePayload verify(byte[] bundle, Eui64 device) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(admin.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build()
                .verify(bundle, VerificationContext.forDevice(device, -1)).payload();
    }

    private static void assertNowhereInClear(byte[] key, CapturedOutput output, byte[]... answers) {
        String hex = HexFormat.of().formatHex(key);
        String base64 = Base64.getEncoder().encodeToString(key);
        assertThat(output.getAll()).doesNotContainIgnoringCase(hex).doesNotContain(base64);
        for (byte[] answer : answers) {
            String raw = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain(new String(key, StandardCharsets.ISO_8859_1))
                    .doesNotContainIgnoringCase(hex).doesNotContain(base64);
        }
    }

    private static String csr(KeyPair key, String eui64) throws Exception {
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + eui64), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return Base64.getEncoder().encodeToString(der);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The repository's three demo templates, in a directory of this test's own. */
    private static Path templatesDir(Path dataDir) {
        try {
            Path dir = Files.createDirectories(dataDir.resolveSibling("templates"));
            for (String name : List.of("demo-sensor.yaml", "demo-rpk.yaml", "demo-x509.yaml")) {
                Files.copy(TestService.repositoryTemplates().resolve(name), dir.resolve(name));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

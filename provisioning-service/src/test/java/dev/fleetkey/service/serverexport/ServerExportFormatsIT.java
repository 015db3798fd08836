package dev.fleetkey.service.serverexport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DevicePsks;
import dev.fleetkey.service.devices.DeviceRepository;
import java.io.ByteArrayInputStream;
import java.net.DatagramSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
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
 * The sealed server export in the formats other servers import: Leshan's security infos (checked against what
 * Leshan's PSK store looks up, through Scandium's own identity decoding) and libcoap's coap-server PSK file (fed to
 * the real coap-server-gnutls, which a coap-client-gnutls then reaches with one device's PSK).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServerExportFormatsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of("text-psk.yaml", """
                id: text-psk
                version: 1
                servers:
                  - name: coap
                    uri: coaps://localhost:5684
                    mode: psk
                    psk:
                      identity: pattern
                      identity-pattern: dev-{eui64}
                bundle:
                  allow-unencrypted-secrets: true
                """)));
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceRepository devices;

    @Autowired
    DevicePsks psks;

    @Test
    void theOpenApiDocumentOffersTheImportFormatsWithAnExampleOfEach() {
        JsonNode export = ApiClient.json(ApiClient.anonymous(port).get("/v3/api-docs")).get("paths")
                .get("/api/v1/templates/{id}/servers/{name}/export").get("post");

        JsonNode body = export.get("requestBody").get("content").get("application/json");
        assertThat(body.get("examples").get("leshan").get("value").get("format").asString()).isEqualTo("leshan");
        assertThat(body.get("examples").get("libcoap-psk").get("value").get("format").asString())
                .isEqualTo("libcoap-psk");
        assertThat(export.get("responses").get("200").get("content").get("application/cms")).isNotNull();
        assertThat(ApiClient.text(ApiClient.anonymous(port).get("/v3/api-docs")))
                .contains("\"enum\":[\"fleetkey\",\"leshan\",\"libcoap-psk\"]");
    }

    @Test
    void leshanGetsOneSecurityInfoPerDeviceWithBinaryIdentitiesDecodedTheWayItsPskStoreLooksThemUp() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        List<String> euis = List.of("00-11-22-FF-FE-00-F1-01", "00-11-22-FF-FE-00-F1-02");
        euis.forEach(eui -> assertThat(http.provision(eui, "demo-sensor", null).statusCode()).isEqualTo(201));
        KeyPair recipient = p256();

        JsonNode document = open(export(http, "demo-sensor", "fleetkey", "leshan", recipient), recipient);

        assertThat(document.get("format").asString()).isEqualTo("fleetkey-leshan-security/1");
        JsonNode infos = document.get("securityInfos");
        assertThat(infos).hasSize(2);
        for (int i = 0; i < euis.size(); i++) {
            JsonNode info = infos.get(i);
            assertThat(info.get("endpoint").asString()).isEqualTo(euis.get(i));
            assertThat(info.get("tls").get("mode").asString()).isEqualTo("psk");
            DevicePsks.OpenPsk psk = psks.activePsks(device(euis.get(i))).get(0);
            // Leshan's LwM2mPskStore: securityStore.getByIdentity(identity.getPublicInfoAsString())
            String lookedUp = PskPublicInformation.fromByteArray(psk.credential().identity()).getPublicInfoAsString();
            assertThat(info.get("tls").get("details").get("identity").asString()).isEqualTo(lookedUp);
            assertThat(info.get("tls").get("details").get("key").asString())
                    .isEqualTo(HexFormat.of().formatHex(psk.credential().key()));
            psk.wipe();
        }
        // random 16-byte identities are binary: converted, and said so
        assertThat(document.get("identitiesConverted").values()).extracting(JsonNode::asString)
                .containsAll(euis);
    }

    @Test
    void leshanGetsTextIdentitiesAsTheyAreAndRawPublicKeysAndCertificatesInItsOwnShapes() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        assertThat(http.provision("00-11-22-FF-FE-00-F2-01", "text-psk", null).statusCode()).isEqualTo(201);
        assertThat(http.provision("00-11-22-FF-FE-00-F2-02", "demo-rpk", null).statusCode()).isEqualTo(201);
        assertThat(http.provision("00-11-22-FF-FE-00-F2-03", "demo-x509", null).statusCode()).isEqualTo(201);
        KeyPair recipient = p256();

        JsonNode text = open(export(http, "text-psk", "coap", "leshan", recipient), recipient);
        JsonNode details = text.get("securityInfos").get(0).get("tls").get("details");
        assertThat(details.get("identity").asString()).isEqualTo("dev-001122fffe00f201");
        assertThat(text.get("identitiesConverted")).isEmpty();

        JsonNode rpk = open(export(http, "demo-rpk", serverOf(http, "demo-rpk"), "leshan", recipient), recipient)
                .get("securityInfos").get(0);
        assertThat(rpk.get("tls").get("mode").asString()).isEqualTo("rpk");
        byte[] spki = HexFormat.of().parseHex(rpk.get("tls").get("details").get("key").asString());
        // Leshan's demo decodes the key as SubjectPublicKeyInfo DER (SecurityUtil.publicKey.decode)
        assertThat(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki)).getEncoded())
                .isEqualTo(devices.activeCredentials(device("00-11-22-FF-FE-00-F2-02").id()).get(0).publicKey());

        JsonNode x509 = open(export(http, "demo-x509", serverOf(http, "demo-x509"), "leshan", recipient), recipient)
                .get("securityInfos").get(0);
        assertThat(x509.get("tls").get("mode").asString()).isEqualTo("x509");
        DeviceCredential credential = devices.activeCredentials(device("00-11-22-FF-FE-00-F2-03").id()).get(0);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(credential.certificate()));
        // Leshan accepts an x509 client whose certificate CN equals the endpoint
        assertThat(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253))
                .isEqualTo("CN=" + x509.get("endpoint").asString());
    }

    @Test
    void coapServerGnutlsReadsTheLibcoapPskFileAndLetsADeviceInWithItsPskOnly(@TempDir Path dir) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 6 && written.isEmpty(); i++) {
            String eui = "00-11-22-FF-FE-00-F3-0" + i;
            assertThat(http.provision(eui, "text-psk", null).statusCode()).isEqualTo(201);
            DevicePsks.OpenPsk psk = psks.activePsks(device(eui)).get(0);
            if (CoapServerPskFile.refusal(psk.credential().identity(), psk.credential().key()) == null) {
                written.add(eui);
                Files.write(dir.resolve("identity"), psk.credential().identity());
                Files.write(dir.resolve("key"), psk.credential().key());
            }
            psk.wipe();
        }
        assertThat(written).as("a device whose random PSK has no NUL, CR or LF byte (88 % do)").hasSize(1);
        KeyPair recipient = p256();
        byte[] file = BundleSecrets.openData(export(http, "text-psk", "coap", "libcoap-psk", recipient).body(),
                recipient.getPrivate());
        Files.write(dir.resolve("psk.txt"), file);
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).contains("# " + written.get(0) + "\n,dev-");
        Files.write(dir.resolve("wrong"), "not-the-key-0123".getBytes(StandardCharsets.US_ASCII));

        int udp;
        try (DatagramSocket socket = new DatagramSocket(0)) {
            udp = socket.getLocalPort();
        }
        // coap-server listens for coap on -p and for coaps on the port after it
        Process server = new ProcessBuilder("coap-server-gnutls", "-A", "127.0.0.1", "-p", Integer.toString(udp - 1),
                "-h", "", "-i", dir.resolve("psk.txt").toString(), "-k", "unknown-identity-key")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            Thread.sleep(500);
            Run admitted = client(dir, udp, "key");
            assertThat(admitted.exitValue()).as(admitted.output()).isZero();
            assertThat(admitted.output()).contains("libcoap");
            assertThat(client(dir, udp, "wrong").output()).doesNotContain("libcoap");
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private record Run(int exitValue, String output) {
    }

    /** coap-client-gnutls with the identity and key files' bytes, read by the shell (any byte but NUL). */
    private static Run client(Path dir, int port, String keyFile) throws Exception {
        Process client = new ProcessBuilder("sh", "-c", "exec coap-client-gnutls -B 5 -u \"$(cat identity)\" -k \"$(cat "
                + keyFile + ")\" coaps://127.0.0.1:" + port + "/").directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(15, TimeUnit.SECONDS);
        return new Run(client.exitValue(), output);
    }

    private Device device(String eui64) {
        return devices.findByEui64(Eui64.parse(eui64)).orElseThrow();
    }

    private static String serverOf(ServiceHttp http, String template) {
        JsonNode view = ServiceHttp.json(http.get("/api/v1/devices?template=" + template + "&limit=1"));
        String eui = view.get("devices").get(0).get("eui64").asString();
        return ServiceHttp.json(http.get("/api/v1/devices/" + eui)).get("credentials").get(0).get("server").asString();
    }

    private static JsonNode open(HttpResponse<byte[]> response, KeyPair recipient) throws Exception {
        assertThat(response.statusCode()).as(ServiceHttp.text(response)).isEqualTo(200);
        return JSON.readTree(BundleSecrets.openData(response.body(), recipient.getPrivate()));
    }

    private static HttpResponse<byte[]> export(ServiceHttp http, String template, String server, String format,
            KeyPair recipient) {
        String key = Base64.getEncoder().encodeToString(recipient.getPublic().getEncoded());
        return http.post("/api/v1/templates/" + template + "/servers/" + server + "/export",
                "{\"recipientPublicKey\":\"" + key + "\",\"format\":\"" + format + "\"}");
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}

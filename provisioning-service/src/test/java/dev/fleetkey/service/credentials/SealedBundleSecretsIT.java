package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Templates that forbid secrets in clear: bundles seal them for the recipient key the caller names, or are
 * refused with the fix; and no secret ever shows in an API answer or the log.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SealedBundleSecretsIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of(
                "sealed-psk.yaml", """
                        id: sealed-psk
                        version: 1
                        servers:
                          - name: fleetkey
                            uri: coaps://localhost:5684
                            mode: psk
                        """,
                "sealed-rpk.yaml", """
                        id: sealed-rpk
                        version: 1
                        servers:
                          - name: fleetkey
                            uri: coaps://localhost:5684
                            mode: rpk
                        """)).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceCredentialDirectory directory;

    ServiceHttp http;

    @BeforeEach
    void client() {
        http = new ServiceHttp(port);
    }

    @Test
    void withoutARecipientKeyTheBundleIsRefusedWithTheFix() {
        http.provision("00-11-22-FF-FE-00-90-01", "sealed-psk", null);

        HttpResponse<byte[]> refused = http.get("/api/v1/devices/00-11-22-FF-FE-00-90-01/bundle");

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(ServiceHttp.json(refused).get("detail").stringValue())
                .contains("allow-unencrypted-secrets: false").contains("Fleetkey-Recipient-Key");
    }

    @Test
    void secretsAreSealedForTheRecipientKeyAndOpenOnlyWithIt(CapturedOutput output) throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-90-02");
        HttpResponse<byte[]> created = http.provision(device.canonical(), "sealed-psk", null);
        byte[] identity = HexFormat.of().parseHex(ServiceHttp.json(created).get("credentials").get(0)
                .get("pskIdentity").stringValue());
        KeyPair recipient = p256();

        HttpResponse<byte[]> download = http.get("/api/v1/devices/" + device + "/bundle", "Fleetkey-Recipient-Key",
                Base64.getEncoder().encodeToString(recipient.getPublic().getEncoded()));

        assertThat(download.statusCode()).as(ServiceHttp.text(download)).isEqualTo(200);
        BundlePayload payload = verify(download.body(), device);
        assertThat(payload.hasSealedSecrets()).isTrue();
        assertThat(payload.secretsInClear()).isFalse();
        assertThat(payload.hasClearSecrets()).isFalse();
        ServerCredentials.Psk psk = (ServerCredentials.Psk) BundleSecrets.open(payload, recipient.getPrivate())
                .server("fleetkey").orElseThrow().credentials();
        byte[] key = psk.key();
        assertThat(psk.identity()).isEqualTo(identity);
        assertThat(key).isEqualTo(directory.findByPskIdentity(identity).orElseThrow().psk().key());
        // the key appears nowhere a person or a log collector could read it
        String hex = HexFormat.of().formatHex(key);
        String base64 = Base64.getEncoder().encodeToString(key);
        assertThat(output.getAll()).doesNotContainIgnoringCase(hex).doesNotContain(base64);
        assertThat(ServiceHttp.text(created)).doesNotContainIgnoringCase(hex).doesNotContain(base64);
        assertThat(ServiceHttp.text(http.get("/api/v1/devices/" + device))).doesNotContainIgnoringCase(hex)
                .doesNotContain(base64);
        assertThat(new String(download.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("the sealed bundle carries the PSK only encrypted")
                .doesNotContain(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void aBundleWithoutSecretsNeedsNoRecipient() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-90-03");
        KeyPair deviceKey = p256();
        http.provision(device.canonical(), "sealed-rpk", "\"publicKey\":"
                + ServiceHttp.quote(Base64.getEncoder().encodeToString(deviceKey.getPublic().getEncoded())));

        HttpResponse<byte[]> download = http.get("/api/v1/devices/" + device + "/bundle");

        assertThat(download.statusCode()).as(ServiceHttp.text(download)).isEqualTo(200);
        BundlePayload payload = verify(download.body(), device);
        assertThat(payload.hasSealedSecrets()).isFalse();
        assertThat(payload.secretsInClear()).isFalse();
    }

    @Test
    void recipientKeyThatIsNotP256Is400NamingTheHeader() throws Exception {
        http.provision("00-11-22-FF-FE-00-90-04", "sealed-psk", null);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);

        HttpResponse<byte[]> refused = http.get("/api/v1/devices/00-11-22-FF-FE-00-90-04/bundle",
                "Fleetkey-Recipient-Key", Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(refused).get("field").stringValue()).isEqualTo("Fleetkey-Recipient-Key");
        assertThat(ServiceHttp.json(refused).get("detail").stringValue()).contains("RSA");
    }

    private BundlePayload verify(byte[] bundle, Eui64 device) throws Exception {
        return BundleVerifier.builder()
                .trustAnchor(CredentialModesIT.certificate(http.get("/api/v1/trust/bundle-signer.pem").body())).build()
                .verify(bundle, VerificationContext.forDevice(device, -1)).payload();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}

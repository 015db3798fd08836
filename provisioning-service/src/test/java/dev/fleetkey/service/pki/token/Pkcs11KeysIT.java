package dev.fleetkey.service.pki.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.update.UpdateExpectations;
import dev.fleetkey.bundle.update.UpdatePackageVerifier;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.firmware.ReleaseApi;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.SecretSealer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The service with {@code fleetkey.keys.provider=pkcs11} and its keys in a SoftHSM2 token of the test's own, as an
 * operator runs it ({@code java -jar}, the PIN in {@code FLEETKEY_PKCS11_PIN}, real HTTP, UDP and DTLS).
 */
class Pkcs11KeysIT {

    private static final List<String> SERVICE_KEYS = List.of(CertificateAuthorities.ROOT_ALIAS,
            CertificateAuthorities.DEVICE_CA_ALIAS, CertificateAuthorities.SERVER_CA_ALIAS,
            CertificateAuthorities.BUNDLE_SIGNER_ALIAS, "fleetkey-dtls-server-fleetkey");
    private static final Map<String, String> DEVICES = new LinkedHashMap<>(Map.of(
            "demo-sensor", "00-11-22-FF-FE-00-B1-01", "demo-rpk", "00-11-22-FF-FE-00-B1-02",
            "demo-x509", "00-11-22-FF-FE-00-B1-03"));

    @Test
    void firstStartMakesEveryKeyInTheTokenAndProvisioningSigningSealingAndHandshakesRunThereAcrossARestart()
            throws Exception {
        SoftHsmToken token = SoftHsmToken.create("fleetkey-it");
        Path dataDir = TestService.newDataDir();
        Map<String, BundlePayload> bundles = new LinkedHashMap<>();
        String rootPem;
        String signerPem;
        try (TokenServiceProcess service = TokenServiceProcess.start(dataDir, token, SoftHsmToken.PIN)) {
            ApiClient admin = service.admin();
            rootPem = ApiClient.text(admin.get("/api/v1/pki/root.pem"));
            signerPem = ApiClient.text(admin.get("/api/v1/trust/bundle-signer.pem"));

            List<SoftHsmToken.TokenObject> objects = token.objects();
            assertThat(objects.stream().filter(SoftHsmToken.TokenObject::privateKey).map(SoftHsmToken.TokenObject::alias))
                    .as("private keys in the token").containsExactlyInAnyOrderElementsOf(SERVICE_KEYS);
            assertThat(objects).filteredOn(o -> o.privateKey() || o.secretKey() && o.access().contains("sensitive"))
                    .allSatisfy(o -> assertThat(o.access()).as(o.alias())
                            .contains("always sensitive", "never extractable", "local"));
            assertThat(objects).filteredOn(SoftHsmToken.TokenObject::secretKey)
                    .anySatisfy(o -> assertThat(o.alias()).isEqualTo(SecretSealer.KEK_ALIAS));

            JsonNode keys = ApiClient.json(admin.get("/actuator/health")).get("components").get("keys");
            assertThat(keys.get("status").stringValue()).isEqualTo("UP");
            assertThat(keys.get("details").get("provider").stringValue()).isEqualTo("pkcs11");
            assertThat(keys.get("details").get("location").stringValue()).contains("libsofthsm2.so slot " + token.slot());

            BundleVerifier verifier = BundleVerifier.builder().trustAnchor(certificate(signerPem)).build();
            for (Map.Entry<String, String> device : DEVICES.entrySet()) {
                HttpResponse<byte[]> provisioned = admin.provision(device.getValue(), device.getKey());
                assertThat(provisioned.statusCode()).as(ApiClient.text(provisioned)).isEqualTo(201);
                Eui64 eui64 = Eui64.parse(device.getValue());
                byte[] bundle = admin.get("/api/v1/devices/" + eui64 + "/bundle").body();
                bundles.put(device.getKey(), verifier.verify(bundle, VerificationContext.forDevice(eui64, -1)).payload());
            }
            for (Map.Entry<String, BundlePayload> bundle : bundles.entrySet()) {
                assertThat(hello(bundle.getValue(), service)).as(bundle.getKey() + " handshake")
                        .isEqualTo(DEVICES.get(bundle.getKey()));
            }

            ReleaseApi release = new ReleaseApi(service.port(), "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("admin:" + TestService.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
            byte[] image = "firmware image 1.0.0".getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> released = release.release("demo-sensor@1", "rev-a", "1.0.0", image);
            assertThat(released.statusCode()).as(ApiClient.text(released)).isEqualTo(201);
            byte[] pkg = admin.get(released.headers().firstValue("Location").orElseThrow()).body();
            new UpdatePackageVerifier(verifier).verify(pkg, new UpdateExpectations("demo-sensor", "rev-a", 0,
                    Instant.now(), VerificationContext.DEFAULT_CLOCK_SKEW));
            assertThat(release.release("demo-sensor@1", "rev-a", "1.0.0", image).statusCode())
                    .as("the same release again, its signatures made anew in the token").isEqualTo(200);
        }

        try (TokenServiceProcess restarted = TokenServiceProcess.start(dataDir, token, SoftHsmToken.PIN)) {
            ApiClient admin = restarted.admin();
            assertThat(ApiClient.text(admin.get("/api/v1/pki/root.pem"))).isEqualTo(rootPem);
            assertThat(ApiClient.text(admin.get("/api/v1/trust/bundle-signer.pem"))).isEqualTo(signerPem);
            String psk = DEVICES.get("demo-sensor");
            BundlePayload again = BundleVerifier.builder().trustAnchor(certificate(signerPem)).build()
                    .verify(admin.get("/api/v1/devices/" + Eui64.parse(psk) + "/bundle").body(),
                            VerificationContext.forDevice(Eui64.parse(psk), -1)).payload();
            assertThat(again.server("fleetkey").orElseThrow().credentials()).as("the PSK sealed before the restart")
                    .isEqualTo(bundles.get("demo-sensor").server("fleetkey").orElseThrow().credentials());
            assertThat(hello(bundles.get("demo-sensor"), restarted)).isEqualTo(psk);
            assertThat(hello(bundles.get("demo-x509"), restarted)).isEqualTo(DEVICES.get("demo-x509"));
        }
        assertThat(token.objects().stream().filter(SoftHsmToken.TokenObject::privateKey).count())
                .as("the restart made no key").isEqualTo(SERVICE_KEYS.size());

        assertThat(dataDir.resolve("keystore.p12")).doesNotExist();
        assertThat(PrivateKeyScan.files(dataDir)).as("private keys in the data directory").isEmpty();
        assertThat(PrivateKeyScan.database(dataDir)).as("private keys in the database").isEmpty();

        String otherToken = TokenServiceProcess.startExpectingFailure(dataDir, SoftHsmToken.create("other"),
                SoftHsmToken.PIN);
        assertThat(otherToken).contains("This database belongs to a CA hierarchy (device CA SHA-256 ")
                .contains("whose keys are not in this instance's key store (pkcs11:")
                .contains("fleetkey.keys.provider=pkcs11, the same token");
    }

    @Test
    void aWrongPinStopsTheStartWithAClearMessageThatDoesNotContainThePin() throws Exception {
        SoftHsmToken token = SoftHsmToken.create("fleetkey-pin");
        String wrongPin = "wrong-pin-1234";

        String output = TokenServiceProcess.startExpectingFailure(TestService.newDataDir(), token, wrongPin);

        assertThat(output).contains("The PKCS#11 token (" + SoftHsmToken.MODULE + " slot " + token.slot()
                + ") refused the PIN").contains("Set FLEETKEY_PKCS11_PIN to the token's user PIN")
                .doesNotContain(wrongPin).doesNotContain(SoftHsmToken.PIN);
    }

    private static String hello(BundlePayload bundle, TokenServiceProcess service) throws Exception {
        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(service.endpoint()))) {
            CoapReply reply = session.get("/hello");
            assertThat(reply.code()).isEqualTo("2.05");
            return reply.text();
        }
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}

package dev.fleetkey.service.credentials;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.pki.Openssl;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Each credential mode over real HTTP: provision, download, verify the bundle, and check what it carries
 * with the bundle verifier and the real openssl (client certificates against the root and device CA the
 * API serves).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CredentialModesIT {

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

    ServiceHttp http;

    @BeforeEach
    void client() {
        http = new ServiceHttp(port);
    }

    @Test
    void x509DeviceGetsAnEui64ClientCertificateThatOpensslVerifiesAgainstTheServedRootAndDeviceCa() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-70-01");
        HttpResponse<byte[]> created = http.provision(device.canonical(), "demo-x509", null);
        assertThat(created.statusCode()).as(ServiceHttp.text(created)).isEqualTo(201);
        var credential = ServiceHttp.json(created).get("credentials").get(0);
        assertThat(credential.get("mode").stringValue()).isEqualTo("x509");
        assertThat(credential.get("keyOrigin").stringValue()).isEqualTo("service");

        ServerEntry server = bundle(device).server("fleetkey").orElseThrow();

        assertThat(server.mode()).isEqualTo(CredentialMode.X509);
        assertThat(server.cipherSuites()).containsExactly(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) server.credentials();
        assertThat(x509.clientChain()).hasSize(2);
        X509Certificate leaf = certificate(x509.clientChain().get(0));
        Path root = Files.write(work.resolve("root.pem"), http.get("/api/v1/pki/root.pem").body());
        Path deviceCa = Files.write(work.resolve("device-ca.pem"), http.get("/api/v1/pki/device-ca.pem").body());
        assertThat(x509.trustAnchors()).hasSize(1);
        assertThat(certificate(x509.trustAnchors().get(0))).isEqualTo(certificate(Files.readAllBytes(root)));
        assertThat(certificate(x509.clientChain().get(1))).isEqualTo(certificate(Files.readAllBytes(deviceCa)));
        Path leafPem = Openssl.writePem(work, "leaf.pem", leaf);
        ExternalCommand.Result verified = Openssl.run(work, "verify", "-x509_strict", "-CAfile", root.toString(), "-untrusted",
                deviceCa.toString(), leafPem.toString());
        assertThat(verified.output()).contains("leaf.pem: OK");
        String text = Openssl.run(work, "x509", "-in", leafPem.toString(), "-noout", "-text").output();
        assertThat(text).contains("CN = 00-11-22-FF-FE-00-70-01").contains("URI:urn:dev:mac:001122fffe007001")
                .contains("TLS Web Client Authentication");
        assertThat(leaf.getSerialNumber().toString(16)).isEqualTo(credential.get("certificateSerial").stringValue());
        assertThat(keysMatch(privateKey(x509.clientPrivateKey()), leaf.getPublicKey())).isTrue();
    }

    @Test
    void rpkDeviceGetsItsKeyPairAndTheServerPinOnceThenOnlyItsPublicKey(CapturedOutput output) throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-70-02");
        var credential = ServiceHttp.json(http.provision(device.canonical(), "demo-rpk", null)).get("credentials").get(0);
        String pin = credential.get("publicKeySha256").stringValue();

        HttpResponse<byte[]> first = http.get("/api/v1/devices/" + device + "/bundle");
        ServerCredentials.RawPublicKey rpk = rawPublicKey(verify(first, device));

        assertThat(Sha256.hex(rpk.clientPublicKey())).isEqualTo(pin);
        assertThat(storedPin(device)).isEqualTo(pin);
        PublicKey clientKey = KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.X509EncodedKeySpec(rpk.clientPublicKey()));
        assertThat(keysMatch(privateKey(rpk.clientPrivateKey()), clientKey)).isTrue();
        assertThat(output.getAll()).doesNotContain(Base64.getEncoder().encodeToString(rpk.clientPrivateKey()))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(rpk.clientPrivateKey()));
        String serverPin = ServiceHttp.json(http.get("/api/v1/pki/servers/fleetkey/credentials"))
                .get("publicKeySha256").stringValue();
        assertThat(rpk.serverKeyPins()).hasSize(1);
        assertThat(HexFormat.of().formatHex(rpk.serverKeyPins().get(0))).isEqualTo(serverPin);
        assertThat(Sha256.hex(rpk.serverPublicKeys().get(0))).isEqualTo(serverPin);
        assertThat(first.headers().firstValue("Fleetkey-Private-Keys-Withheld")).isEmpty();

        // demo-rpk: retain-private-keys false, so the key left the service with the first bundle
        HttpResponse<byte[]> second = http.get("/api/v1/devices/" + device + "/bundle");
        ServerCredentials.RawPublicKey again = rawPublicKey(verify(second, device));
        assertThat(again.clientPrivateKey()).isNull();
        assertThat(again.clientPublicKey()).isEqualTo(rpk.clientPublicKey());
        assertThat(second.headers().firstValue("Fleetkey-Private-Keys-Withheld")).hasValue("fleetkey");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e AND c.sealed_secret IS NULL AND c.secret_discarded_at IS NOT NULL")
                .param("e", device.canonical()).query(Long.class).single()).isEqualTo(1L);
        assertThat(ServiceHttp.json(http.get("/api/v1/devices/" + device)).get("credentials").get(0)
                .get("privateKeyHeld").booleanValue()).isFalse();
    }

    @Test
    void submittedPublicKeyIsUsedAndTheServiceNeverHoldsAPrivateKey() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-70-03");
        Openssl.run(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "dev.pem");
        Openssl.run(work, "pkey", "-in", "dev.pem", "-pubout", "-outform", "DER", "-out", "dev.spki");
        byte[] spki = Files.readAllBytes(work.resolve("dev.spki"));

        HttpResponse<byte[]> created = http.provision(device.canonical(), "demo-rpk",
                "\"publicKey\":" + ServiceHttp.quote(Base64.getEncoder().encodeToString(spki)));

        assertThat(created.statusCode()).as(ServiceHttp.text(created)).isEqualTo(201);
        var credential = ServiceHttp.json(created).get("credentials").get(0);
        assertThat(credential.get("keyOrigin").stringValue()).isEqualTo("device");
        assertThat(credential.get("privateKeyHeld").booleanValue()).isFalse();
        ServerCredentials.RawPublicKey rpk = rawPublicKey(bundle(device));
        assertThat(rpk.clientPrivateKey()).isNull();
        assertThat(rpk.clientPublicKey()).isEqualTo(spki);
    }

    @Test
    void csrKeyIsCertifiedUnderTheTemplatesSubjectNotTheCsrs() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-70-04");
        Openssl.run(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "dev.pem");
        // a CSR may name the device or no one; its other attributes are not copied into the certificate
        Openssl.run(work, "req", "-new", "-key", "dev.pem", "-subj", "/O=Line 3 Station", "-out", "dev.csr");
        Openssl.run(work, "pkey", "-in", "dev.pem", "-pubout", "-outform", "DER", "-out", "dev.spki");

        HttpResponse<byte[]> created = http.provision(device.canonical(), "demo-x509",
                "\"csr\":" + ServiceHttp.quote(Files.readString(work.resolve("dev.csr"))));

        assertThat(created.statusCode()).as(ServiceHttp.text(created)).isEqualTo(201);
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) bundle(device).server("fleetkey")
                .orElseThrow().credentials();
        assertThat(x509.clientPrivateKey()).isNull();
        X509Certificate leaf = certificate(x509.clientChain().get(0));
        assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(Files.readAllBytes(work.resolve("dev.spki")));
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=00-11-22-FF-FE-00-70-04");
    }

    @Test
    void rsaKeyIsRefusedWith400NamingTheAlgorithm() throws Exception {
        Openssl.run(work, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "rsa.pem");
        Openssl.run(work, "pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa.pub");

        assertRefused("00-11-22-FF-FE-00-70-05", "\"publicKey\":" + ServiceHttp.quote(Files.readString(work.resolve("rsa.pub"))),
                "publicKey", "The key is RSA, not ECDSA.");
    }

    @Test
    void p384KeyIsRefusedWith400NamingTheCurve() throws Exception {
        Openssl.run(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem");
        Openssl.run(work, "req", "-new", "-key", "p384.pem", "-subj", "/CN=x", "-out", "p384.csr");

        assertRefused("00-11-22-FF-FE-00-70-06", "\"csr\":" + ServiceHttp.quote(Files.readString(work.resolve("p384.csr"))),
                "csr", "not P-256");
    }

    @Test
    void csrWithABadSignatureIsRefusedForLackOfProofOfPossession() throws Exception {
        Openssl.run(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "dev.pem");
        Openssl.run(work, "req", "-new", "-key", "dev.pem", "-subj", "/CN=x", "-outform", "DER", "-out", "dev.der");
        byte[] csr = Files.readAllBytes(work.resolve("dev.der"));
        csr[csr.length - 1] ^= 0x01; // the last byte of the ECDSA signature's s

        assertRefused("00-11-22-FF-FE-00-70-07", "\"csr\":" + ServiceHttp.quote(Base64.getEncoder().encodeToString(csr)),
                "csr", "no proof of possession");
    }

    @Test
    void publicKeyForATemplateWithOnlyPskServersIsRefused() throws Exception {
        Openssl.run(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "dev.pem");
        Openssl.run(work, "pkey", "-in", "dev.pem", "-pubout", "-out", "dev.pub");

        HttpResponse<byte[]> refused = http.provision("00-11-22-FF-FE-00-70-08", "demo-sensor",
                "\"publicKey\":" + ServiceHttp.quote(Files.readString(work.resolve("dev.pub"))));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(refused).get("detail").stringValue()).contains("has only psk servers");
    }

    private void assertRefused(String eui64, String member, String field, String detail) {
        HttpResponse<byte[]> refused = http.provision(eui64, "demo-x509", member);

        assertThat(refused.statusCode()).as(ServiceHttp.text(refused)).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ServiceHttp.json(refused).get("field").stringValue()).isEqualTo(field);
        assertThat(ServiceHttp.json(refused).get("detail").stringValue()).contains(detail);
        assertThat(http.get("/api/v1/devices/" + eui64).statusCode()).isEqualTo(404);
    }

    private BundlePayload bundle(Eui64 device) throws Exception {
        return verify(http.get("/api/v1/devices/" + device + "/bundle"), device);
    }

    private BundlePayload verify(HttpResponse<byte[]> download, Eui64 device) throws Exception {
        assertThat(download.statusCode()).as(ServiceHttp.text(download)).isEqualTo(200);
        X509Certificate signer = certificate(http.get("/api/v1/trust/bundle-signer.pem").body());
        return BundleVerifier.builder().trustAnchor(signer).build()
                .verify(download.body(), VerificationContext.forDevice(device, -1)).payload();
    }

    private static ServerCredentials.RawPublicKey rawPublicKey(BundlePayload payload) {
        ServerEntry server = payload.server("fleetkey").orElseThrow();
        assertThat(server.mode()).isEqualTo(CredentialMode.RAW_PUBLIC_KEY);
        return (ServerCredentials.RawPublicKey) server.credentials();
    }

    private String storedPin(Eui64 device) {
        byte[] stored = jdbc.sql("SELECT c.public_key_sha256 FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e").param("e", device.canonical()).query(byte[].class).single();
        return HexFormat.of().formatHex(stored);
    }

    static X509Certificate certificate(byte[] derOrPem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(derOrPem));
    }

    static PrivateKey privateKey(byte[] pkcs8) throws Exception {
        assertThat(pkcs8).as("private key in the bundle").isNotNull();
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    static boolean keysMatch(PrivateKey privateKey, PublicKey publicKey) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }
}

package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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

/** The PKI admin API over real HTTP, its exports read by the real openssl. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PkiApiIT {

    static final String PASSPHRASE = "export-passphrase-42";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EndpointServerCredentials endpoint;

    @TempDir
    Path work;

    ServiceHttp http;

    @BeforeEach
    void client() {
        http = new ServiceHttp(port);
    }

    @Test
    void serverCertificateNamesTheTemplatesHostAndVerifiesAgainstRootAndServerCa() throws Exception {
        HttpResponse<byte[]> issued = http.post("/api/v1/pki/servers/fleetkey/credentials", null);
        assertThat(issued.statusCode()).as(ServiceHttp.text(issued)).isEqualTo(200);
        assertThat(ServiceHttp.json(issued).get("host").stringValue()).isEqualTo("localhost");

        Path chain = Files.write(work.resolve("chain.pem"), http.get("/api/v1/pki/servers/fleetkey/certificate.pem").body());
        Files.write(work.resolve("root.pem"), http.get("/api/v1/pki/root.pem").body());
        Files.write(work.resolve("server-ca.pem"), http.get("/api/v1/pki/server-ca.pem").body());
        Openssl.run(work, "x509", "-in", "chain.pem", "-out", "leaf.pem");

        ExternalCommand.Result verified = Openssl.run(work, "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile",
                "root.pem", "-untrusted", "server-ca.pem", "leaf.pem");
        assertThat(verified.output()).contains("leaf.pem: OK");
        assertThat(Openssl.run(work, "x509", "-in", "leaf.pem", "-noout", "-text").output())
                .contains("DNS:localhost").contains("TLS Web Server Authentication");
        // leaf and server CA, never the root, never a key
        assertThat(Files.readString(chain).split("BEGIN CERTIFICATE", -1)).hasSize(3);
        assertThat(Files.readString(chain)).doesNotContain("PRIVATE");
        String serial = ServiceHttp.json(issued).get("serial").stringValue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'pki.server-credential.issued' AND subject = :s")
                .param("s", "server:fleetkey host:localhost serial:" + serial).query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void rotationGivesTheServerANewKeyAndTheEndpointUsesIt() {
        String before = ServiceHttp.json(http.post("/api/v1/pki/servers/fleetkey/credentials", null))
                .get("publicKeySha256").stringValue();

        String after = ServiceHttp.json(http.post("/api/v1/pki/servers/fleetkey/credentials", "{\"host\":\"localhost\"}"))
                .get("publicKeySha256").stringValue();

        assertThat(after).isNotEqualTo(before);
        assertThat(Sha256.hex(endpoint.publicKey().getEncoded())).isEqualTo(after);
        assertThat(endpoint.certificateChain()).hasSize(2);
    }

    @Test
    void pkcs12ExportOpensWithThePassphraseFromTheBody(CapturedOutput output) throws Exception {
        http.post("/api/v1/pki/servers/fleetkey/credentials", null);

        HttpResponse<byte[]> export = http.post("/api/v1/pki/servers/fleetkey/export.p12",
                "{\"passphrase\":\"" + PASSPHRASE + "\"}");

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValue("application/x-pkcs12");
        Files.write(work.resolve("server.p12"), export.body());
        ExternalCommand.Result info = Openssl.run(work, "pkcs12", "-info", "-nokeys", "-in", "server.p12", "-passin",
                "pass:" + PASSPHRASE);
        assertThat(info.exitCode()).as(info.output()).isZero();
        assertThat(info.output()).contains("subject=CN = localhost");
        assertThat(Openssl.run(work, "pkcs12", "-info", "-nokeys", "-in", "server.p12", "-passin", "pass:wrong-one")
                .exitCode()).isNotZero();
        assertThat(output.getAll()).doesNotContain(PASSPHRASE);
        assertThat(audit("pki.server-credential.exported")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void keyExportIsEncryptedPemThatOpensWithThePassphraseFromTheHeader() throws Exception {
        http.post("/api/v1/pki/servers/fleetkey/credentials", null);

        HttpResponse<byte[]> export = http.post("/api/v1/pki/servers/fleetkey/key.pem", null,
                "Fleetkey-Export-Passphrase", PASSPHRASE);

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(ServiceHttp.text(export)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Files.write(work.resolve("key.pem"), export.body());
        Files.write(work.resolve("chain.pem"), http.get("/api/v1/pki/servers/fleetkey/certificate.pem").body());
        ExternalCommand.Result key = Openssl.run(work, "pkey", "-in", "key.pem", "-passin", "pass:" + PASSPHRASE, "-pubout");
        ExternalCommand.Result cert = Openssl.run(work, "x509", "-in", "chain.pem", "-noout", "-pubkey");
        assertThat(key.exitCode()).as(key.output()).isZero();
        assertThat(key.output()).isEqualTo(cert.output());
    }

    @Test
    void exportWithoutAPassphraseIs400() {
        http.post("/api/v1/pki/servers/fleetkey/credentials", null);

        HttpResponse<byte[]> refused = http.post("/api/v1/pki/servers/fleetkey/export.p12", "{}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(refused).get("field").stringValue()).isEqualTo("passphrase");
    }

    @Test
    void rootKeyExportIsEncryptedAndMatchesTheRootCertificate() throws Exception {
        HttpResponse<byte[]> export = http.post("/api/v1/pki/root-key/export", "{\"passphrase\":\"" + PASSPHRASE + "\"}");

        assertThat(export.statusCode()).isEqualTo(200);
        Files.write(work.resolve("root-key.pem"), export.body());
        Files.write(work.resolve("root.pem"), http.get("/api/v1/pki/root.pem").body());
        ExternalCommand.Result key = Openssl.run(work, "pkey", "-in", "root-key.pem", "-passin", "pass:" + PASSPHRASE, "-pubout");
        assertThat(key.exitCode()).as(key.output()).isZero();
        assertThat(key.output()).isEqualTo(Openssl.run(work, "x509", "-in", "root.pem", "-noout", "-pubkey").output());
        assertThat(audit("pki.root-key.exported")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void caChainHoldsDeviceCaServerCaAndRoot() throws Exception {
        String pem = ServiceHttp.text(http.get("/api/v1/pki/ca-chain.pem"));
        var certificates = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        assertThat(certificates).extracting(c -> ((X509Certificate) c).getSubjectX500Principal().getName())
                .containsExactly("CN=Fleetkey Device CA,O=Fleetkey", "CN=Fleetkey Server CA,O=Fleetkey",
                        "CN=Fleetkey Root CA,O=Fleetkey");
    }

    @Test
    void pkiApiNeedsAnAdminLogin() {
        assertThat(ApiClient.anonymous(port).get("/api/v1/pki/ca-chain.pem").statusCode()).isEqualTo(401);
        assertThat(ApiClient.anonymous(port).postJson("/api/v1/pki/root-key/export", "{\"passphrase\":\"" + PASSPHRASE
                + "\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownServerWithoutAHostIs400AndWithoutCredentialIs404() {
        HttpResponse<byte[]> noHost = http.post("/api/v1/pki/servers/other/credentials", null);
        assertThat(noHost.statusCode()).isEqualTo(400);
        assertThat(ServiceHttp.json(noHost).get("detail").stringValue()).contains("No template names a server 'other'");

        assertThat(http.get("/api/v1/pki/servers/never-issued/certificate.pem").statusCode()).isEqualTo(404);
    }

    private long audit(String action) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = :a").param("a", action).query(Long.class).single();
    }
}

package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A hierarchy made with openssl, imported over HTTP into a fresh service, then issuing device certificates. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PkiImportIT {

    static final String CA_EXTENSIONS = """
            basicConstraints=critical,CA:TRUE,pathlen:0
            keyUsage=critical,keyCertSign,cRLSign
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            """;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @TempDir
    Path work;

    @Test
    void importedOpensslHierarchyIssuesDeviceCertificatesAndCannotBeReplacedOnceUsed() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        opensslHierarchy();
        String body = "{\"format\":\"pem\",\"root\":" + ServiceHttp.quote(Files.readString(work.resolve("root.pem")))
                + ",\"deviceCa\":" + ServiceHttp.quote(Files.readString(work.resolve("device.pem"))
                + Files.readString(work.resolve("device.key")))
                + ",\"serverCa\":" + ServiceHttp.quote(Files.readString(work.resolve("server.pem"))
                + Files.readString(work.resolve("server.key"))) + "}";

        HttpResponse<byte[]> imported = http.post("/api/v1/pki/import", body);

        assertThat(imported.statusCode()).as(ServiceHttp.text(imported)).isEqualTo(200);
        assertThat(ServiceHttp.json(imported).get("rootKey").stringValue()).isEqualTo("offline");
        assertThat(ServiceHttp.text(http.get("/api/v1/pki/root.pem")))
                .isEqualTo(Files.readString(work.resolve("root.pem")).replace("\r", ""));
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-B0-01");
        assertThat(http.provision(device.canonical(), "demo-x509", null).statusCode()).isEqualTo(201);
        X509Certificate signer = certificate(http.get("/api/v1/trust/bundle-signer.pem").body());
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) BundleVerifier.builder()
                .trustAnchor(signer).build()
                .verify(http.get("/api/v1/devices/" + device + "/bundle").body(), VerificationContext.forDevice(device, -1))
                .payload().server("fleetkey").orElseThrow().credentials();
        Openssl.writePem(work, "leaf.pem", certificate(x509.clientChain().get(0)));
        ExternalCommand.Result verified = Openssl.run(work, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted",
                "device.pem", "leaf.pem");
        assertThat(verified.output()).contains("leaf.pem: OK");
        assertThat(certificate(x509.trustAnchors().get(0))).isEqualTo(certificate(Files.readAllBytes(work.resolve("root.pem"))));

        HttpResponse<byte[]> again = http.post("/api/v1/pki/import", body);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(ServiceHttp.json(again).get("detail").stringValue()).contains("is in use");
    }

    private void opensslHierarchy() throws Exception {
        Files.writeString(work.resolve("ca.ext"), CA_EXTENSIONS);
        run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "root.key");
        run("req", "-x509", "-new", "-key", "root.key", "-subj", "/O=Acme/CN=Acme Root CA", "-days", "3650",
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:1", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", "root.pem");
        for (String ca : new String[] {"device", "server"}) {
            run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ca + ".key");
            run("req", "-new", "-key", ca + ".key", "-subj", "/O=Acme/CN=Acme " + ca + " CA", "-out", ca + ".csr");
            run("x509", "-req", "-in", ca + ".csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
                    "-days", "3650", "-sha256", "-extfile", "ca.ext", "-out", ca + ".pem");
        }
    }

    private void run(String... args) {
        ExternalCommand.Result result = Openssl.run(work, args);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static X509Certificate certificate(byte[] derOrPem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(derOrPem));
    }
}

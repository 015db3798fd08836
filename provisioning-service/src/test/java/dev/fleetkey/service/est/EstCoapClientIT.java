package dev.fleetkey.service.est;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.audit.AuditEntry;
import dev.fleetkey.service.audit.AuditFilter;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.devices.CredentialRotation;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceKeySubmission;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * EST-coaps interop with an independent client: libcoap's {@code coap-client-gnutls} holding only a factory
 * certificate (IDevID) from a test manufacturer CA fetches {@code /crts}, posts a PKCS#10 made by
 * {@code openssl req} to {@code /sen}, and {@code openssl verify} accepts the certificate it gets against the
 * {@code /crts} answer. Refused: a CSR for another EUI-64, a revoked device, a factory CA no template trusts,
 * and an unknown device whose template says a station provisions it first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EstCoapClientIT {

    /** Trusted by template est-factory, which provisions unknown devices at their first enrollment. */
    static final FactoryPki MANUFACTURER = FactoryPki.manufacturer("Test IDevID CA");
    /** Trusted by template est-station, whose devices a station provisions first. */
    static final FactoryPki STATION_LINE = FactoryPki.manufacturer("Test Station Line CA");
    /** Trusted by no template. */
    static final FactoryPki UNTRUSTED = FactoryPki.manufacturer("Untrusted CA");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestService.registerWithDeviceEndpoint(registry);
        Path templates = ServiceHttp.templatesWith(Map.of(
                "est-factory.yaml", template("est-factory", MANUFACTURER, "provision", "clear"),
                "est-station.yaml", template("est-station", STATION_LINE, "refuse", "off")
                        .replace("est:\n", "est:\n  re-enroll: false\n")));
        registry.add("fleetkey.templates-dir", templates::toString);
    }

    static String template(String id, FactoryPki manufacturer, String unknownDevices, String serverKeys)
            throws Exception {
        return """
                id: %s
                version: 1
                servers:
                  - name: fleetkey
                    uri: coaps://localhost:5684
                    mode: x509
                est:
                  unknown-devices: %s
                  server-keys: %s
                  factory-cas: |
                %s
                """.formatted(id, unknownDevices, serverKeys, manufacturer.caPem().indent(4).stripTrailing());
    }

    @Autowired
    DeviceEndpointLifecycle endpoint;
    @Autowired
    CertificateAuthorities cas;
    @Autowired
    DeviceRepository devices;
    @Autowired
    CredentialRotation rotation;
    @Autowired
    DeviceProvisioning provisioning;
    @Autowired
    AuditEntries audit;

    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void trustTheFleetkeyRoot() {
        root = Openssl.writePem(dir, "fleetkey-root.pem", cas.rootCertificate());
    }

    @Test
    void factoryDeviceEnrollsWithCoapClientAndOpensslVerifiesTheCertificate() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E6-01");
        Factory factory = factoryCertificate(MANUFACTURER, device);
        csr(device.canonical());

        ExternalCommand.Result crts = coap(factory, "-m", "get", "-A", "281", "-o", "crts.p7", url("/.well-known/est/crts"));
        ExternalCommand.Result sen = coap(factory, "-m", "post", "-t", "286", "-A", "281", "-f", "csr.der",
                "-o", "sen.p7", url("/.well-known/est/sen"));

        assertThat(crts.exitCode()).as(crts.output()).isZero();
        assertThat(sen.exitCode()).as(sen.output()).isZero();
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "crts.p7", "-print_certs", "-out", "crts.pem")).isZero();
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "sen.p7", "-print_certs", "-out", "device.pem")).isZero();
        ExternalCommand.Result verify = Openssl.run(dir, "verify", "-CAfile", "crts.pem", "device.pem");
        assertThat(verify.output()).contains("device.pem: OK");
        ExternalCommand.Result text = Openssl.run(dir, "x509", "-in", "device.pem", "-noout", "-subject", "-ext", "subjectAltName");
        assertThat(text.output()).contains("CN = " + device.canonical()).contains("URI:" + device.urn());
        Device created = devices.findByEui64(device).orElseThrow();
        assertThat(created.templateReference()).isEqualTo("est-factory@1");
        assertThat(audit.find(new AuditFilter(null, "device:" + device.canonical(), "device.enrolled", null, null), 0, 5))
                .extracting(AuditEntry::subject).singleElement().asString()
                .contains("est:/sen via:factory-certificate").contains("provisioned-from:est-factory@1");

        // the factory certificate enrolls and nothing else; the certificate Fleetkey issued does the rest
        ExternalCommand.Result helloByFactory = coap(factory, "-m", "get", url("/hello"));
        ExternalCommand.Result helloByIssued = CoapClientGnutls.run(dir, dir.resolve("device.pem"),
                dir.resolve("device.key"), root, "-m", "get", url("/hello"));
        assertThat(helloByFactory.output()).contains("4.03").contains("factory certificate");
        assertThat(helloByIssued.output()).contains(device.canonical());

        // est-factory says server-keys: clear, so /skg hands out a key pair in clear over the DTLS session
        ExternalCommand.Result skg = CoapClientGnutls.run(dir, dir.resolve("device.pem"), dir.resolve("device.key"),
                root, "-m", "post", "-t", "286", "-A", "62", "-f", "csr.der", "-o", "skg.cbor", url("/.well-known/est/skg"));
        assertThat(skg.exitCode()).as(skg.output()).isZero();
        List<Object> parts = MultipartCoreReader.read(Files.readAllBytes(dir.resolve("skg.cbor")));
        assertThat(parts).hasSize(4).element(0).isEqualTo(284L);
        assertThat(parts.get(2)).isEqualTo(281L);
        PrivateKey serverMade = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec((byte[]) parts.get(1)));
        X509Certificate certified = EstFixtures.certsOnly((byte[]) parts.get(3)).get(0);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(serverMade);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certified.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).as("the certificate certifies the key /skg handed out").isTrue();
    }

    @Test
    void coapClientIsRefusedACsrForAnotherDeviceARevokedDeviceAnUntrustedCaAndAnUnprovisionedStationDevice()
            throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E6-02");
        Factory factory = factoryCertificate(MANUFACTURER, device);

        csr("00-11-22-FF-FE-00-E6-99");
        ExternalCommand.Result foreign = coap(factory, "-m", "post", "-t", "286", "-f", "csr.der", url("/.well-known/est/sen"));
        assertThat(foreign.output()).contains("4.03").contains("00-11-22-FF-FE-00-E6-99");

        csr(device.canonical());
        assertThat(coap(factory, "-m", "post", "-t", "286", "-f", "csr.der", "-o", "sen.p7",
                url("/.well-known/est/sen")).exitCode()).isZero();
        rotation.revoke(device, "stolen from the line");
        // the device CA's CRL over coaps lists it: openssl refuses its certificate
        assertThat(coap(factory, "-m", "get", "-o", "crts.p7", url("/.well-known/est/crts")).exitCode()).isZero();
        assertThat(coap(factory, "-m", "get", "-o", "crl.der", url("/crl")).exitCode()).isZero();
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "crts.p7", "-print_certs", "-out", "crts.pem")).isZero();
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "sen.p7", "-print_certs", "-out", "device.pem")).isZero();
        assertThat(openssl("crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem")).isZero();
        assertThat(Openssl.run(dir, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "crts.pem", "device.pem")
                .output()).contains("certificate revoked");
        csr(device.canonical());
        ExternalCommand.Result revoked = coap(factory, "-m", "post", "-t", "286", "-f", "csr.der", url("/.well-known/est/sen"));
        assertThat(revoked.output()).contains("4.03").contains("revoked");

        Eui64 stranger = Eui64.parse("00-11-22-FF-FE-00-E6-03");
        ExternalCommand.Result untrusted = coap(factoryCertificate(UNTRUSTED, stranger), "-m", "post", "-t", "286",
                "-f", "csr.der", url("/.well-known/est/sen"));
        assertThat(untrusted.output()).doesNotContain("2.04");
        assertThat(devices.findByEui64(stranger)).isEmpty();

        Eui64 lineDevice = Eui64.parse("00-11-22-FF-FE-00-E6-04");
        csr(lineDevice.canonical());
        ExternalCommand.Result unprovisioned = coap(factoryCertificate(STATION_LINE, lineDevice), "-m", "post",
                "-t", "286", "-f", "csr.der", url("/.well-known/est/sen"));
        assertThat(unprovisioned.output()).contains("4.03").contains("a station provisions it first");
        ExternalCommand.Result srenByFactory = coap(factoryCertificate(STATION_LINE, lineDevice), "-m", "post",
                "-t", "286", "-f", "csr.der", url("/.well-known/est/sren"));
        assertThat(srenByFactory.output()).contains("4.03").contains("enroll with /sen");
        assertThat(audit.find(new AuditFilter(null, "device:" + lineDevice.canonical(), "device.enrollment-refused",
                null, null), 0, 5)).extracting(AuditEntry::subject)
                .anySatisfy(subject -> assertThat(subject).contains("est:/sen").contains("reason:enrollment-refused"))
                .anySatisfy(subject -> assertThat(subject).contains("est:/sren"));
    }

    @Test
    void aStationProvisionedDeviceOfATemplateWithoutReEnrollIsRefusedARenewal() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E6-05");
        csr(device.canonical());
        provisioning.provision(device.canonical(), "est-station",
                new DeviceKeySubmission(null, Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("csr.der")))));
        Files.move(dir.resolve("device.key"), dir.resolve("station.key"));
        Path stationCertificate = Openssl.writePem(dir, "station.pem", EstFixtures.certificate(devices.currentCredentials(
                devices.findByEui64(device).orElseThrow().id()).get(0).certificate()));
        csr(device.canonical());

        ExternalCommand.Result sren = CoapClientGnutls.run(dir, stationCertificate, dir.resolve("station.key"), root,
                "-m", "post", "-t", "286", "-f", "csr.der", url("/.well-known/est/sren"));

        assertThat(sren.output()).contains("4.03").contains("est.re-enroll: false");
    }

    private record Factory(Path certificate, Path key) {
    }

    /** A factory key made by openssl (as a secure element would hold it) and its IDevID from {@code manufacturer}. */
    private Factory factoryCertificate(FactoryPki manufacturer, Eui64 device) throws Exception {
        String name = "idevid-" + device.canonical();
        assertThat(openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key"))
                .isZero();
        assertThat(openssl("pkey", "-in", name + ".key", "-pubout", "-outform", "DER", "-out", name + ".spki")).isZero();
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(Files.readAllBytes(dir.resolve(name + ".spki"))));
        return new Factory(Openssl.writePem(dir, name + ".pem", manufacturer.idevid(device, key)),
                dir.resolve(name + ".key"));
    }

    /** A new key made "on the device" and {@code csr.der} for it, both by openssl. */
    private void csr(String commonName) {
        assertThat(openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "device.key"))
                .isZero();
        assertThat(openssl("req", "-new", "-key", "device.key", "-subj", "/CN=" + commonName, "-outform", "DER",
                "-out", "csr.der")).isZero();
    }

    private int openssl(String... arguments) {
        ExternalCommand.Result result = Openssl.run(dir, arguments);
        if (!result.succeeded()) {
            System.err.println(result.output());
        }
        return result.exitCode();
    }

    private ExternalCommand.Result coap(Factory factory, String... arguments) {
        ExternalCommand.Result result = CoapClientGnutls.run(dir, factory.certificate(), factory.key(), root, arguments);
        System.out.println("coap-client " + String.join(" ", arguments) + " -> " + result.exitCode() + "\n"
                + result.output());
        return result;
    }

    private String url(String path) {
        return "coaps://127.0.0.1:" + endpoint.boundAddress().getPort() + path;
    }

    static {
        // the manufacturer CAs are made before Spring reads the templates that name them
        assertThat(Files.isExecutable(Path.of("/usr/bin/coap-client-gnutls"))).isTrue();
    }
}

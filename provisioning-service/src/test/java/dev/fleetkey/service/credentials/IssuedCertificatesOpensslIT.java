package dev.fleetkey.service.credentials;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.Sha256;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.CertificateCredential;
import dev.fleetkey.bundle.credentials.RawPublicKeyCredential;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.CertificateIssuer;
import dev.fleetkey.service.pki.CertificateProfile;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.pki.Openssl;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.ServerCredential;
import dev.fleetkey.service.pki.ServerCredentialIssuer;
import dev.fleetkey.service.pki.ServerRawPublicKey;
import dev.fleetkey.service.pki.TestPki;

/** Every issued certificate checked by the real openssl binary and field by field against the profile. */
class IssuedCertificatesOpensslIT {

    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");

    private static CertificateAuthorities cas;
    private static DeviceCredentialIssuer devices;
    private static ServerCredentialIssuer servers;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        cas = TestPki.create();
        P256Crypto crypto = P256Crypto.preferred();
        devices = new DeviceCredentialIssuer(new CertificateIssuer(cas.deviceCa(),
                CertificateProfile.deviceClient(TestPki.serials(), Clock.systemUTC()), crypto), crypto);
        servers = new ServerCredentialIssuer(new CertificateIssuer(cas.serverCa(),
                CertificateProfile.server(TestPki.serials(), Clock.systemUTC()), crypto), crypto);
    }

    @Test
    void aClientCertificateWithAServiceMadeKeyPassesOpensslStrictVerification() throws Exception {
        CertificateCredential credential = devices.issueClientCertificate(DEVICE, Duration.ofDays(365));

        assertVerifies(credential.leaf(), cas.deviceCa().certificate());
        assertDeviceProfile(credential.leaf(), DEVICE);
        assertThat(credential.chain()).containsExactly(credential.leaf(), cas.deviceCa().certificate());
        assertThat(credential.privateKey()).isNotNull();
        assertThat(Duration.between(credential.leaf().getNotBefore().toInstant(),
                credential.leaf().getNotAfter().toInstant())).isEqualTo(Duration.ofDays(365).plusMinutes(5));
    }

    @Test
    void aClientCertificateForAKeyMadeOnTheDeviceCertifiesThatKeyUnderTheTemplatesSubject() throws Exception {
        KeyPair onDevice = P256Crypto.preferred().generateKeyPair();
        Eui64 device = Eui64.parse("ac:de:48:00:11:22:33:44");
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + device.canonical() + ",O=Station"),
                onDevice.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(onDevice.getPrivate())).getEncoded();

        CertificateCredential credential = devices.issueClientCertificate(device, Duration.ofDays(30),
                new DevicePublicKeys(P256Crypto.preferred()).fromCsr(csr, device));

        assertVerifies(credential.leaf(), cas.deviceCa().certificate());
        assertDeviceProfile(credential.leaf(), device);
        assertThat(credential.leaf().getPublicKey().getEncoded()).isEqualTo(onDevice.getPublic().getEncoded());
        assertThat(credential.privateKey()).isNull();
        assertThat(credential.toString()).contains("on device");
    }

    @Test
    void aDeviceCertificateDoesNotVerifyThroughTheServerCa() throws Exception {
        CertificateCredential credential = devices.issueClientCertificate(DEVICE, Duration.ofDays(1));
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());
        Openssl.writePem(dir, "issuing.pem", cas.serverCa().certificate());
        Openssl.writePem(dir, "leaf.pem", credential.leaf());

        assertThat(Openssl.run(dir, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "issuing.pem",
                "leaf.pem").succeeded()).isFalse();
    }

    @Test
    void aServerCertificateNamesTheFqdnAndExportsAsPemAndPkcs12ThatOpensslReads() throws Exception {
        ServerCredential server = servers.issueServerCertificate("CoAP.Example.com", Duration.ofDays(90));
        X509Certificate leaf = server.certificate();

        assertVerifies(leaf, cas.serverCa().certificate());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=coap.example.com");
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "coap.example.com"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(server.chain()).containsExactly(leaf, cas.serverCa().certificate());

        Files.writeString(dir.resolve("chain.pem"), server.certificateChainPem());
        Files.writeString(dir.resolve("key.pem"), server.privateKeyPem());
        Files.write(dir.resolve("server.p12"), server.toPkcs12("server", "export pass".toCharArray()));
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());
        assertThat(Openssl.run(dir, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "chain.pem",
                "chain.pem").output()).contains("chain.pem: OK");
        assertThat(Openssl.run(dir, "pkey", "-in", "key.pem", "-pubout").output())
                .isEqualTo(Openssl.run(dir, "x509", "-in", "chain.pem", "-noout", "-pubkey").output());
        ExternalCommand.Result p12 = Openssl.run(dir, "pkcs12", "-in", "server.p12", "-passin", "pass:export pass", "-nodes");
        assertThat(p12.succeeded()).as(p12.output()).isTrue();
        assertThat(p12.output()).contains("subject=CN = coap.example.com", "BEGIN PRIVATE KEY");
    }

    @Test
    void opensslReadsTheProfileFieldsOfADeviceCertificate() {
        CertificateCredential credential = devices.issueClientCertificate(DEVICE, Duration.ofDays(1));
        Openssl.writePem(dir, "leaf.pem", credential.leaf());

        assertThat(Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-text").output()).contains(
                "Version: 3 (0x2)", "ecdsa-with-SHA256", "ASN1 OID: prime256v1",
                "Subject: CN = 00-11-22-FF-FE-33-44-55", "URI:urn:dev:mac:001122fffe334455",
                "X509v3 Key Usage: critical", "Digital Signature", "TLS Web Client Authentication",
                "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier");
    }

    @Test
    void aTemplateAskingForACrlDistributionPointGetsTheDeviceCasCrlUrlUnderThePublicBaseUrl() {
        P256Crypto crypto = P256Crypto.preferred();
        DeviceCredentialIssuer withBaseUrl = new DeviceCredentialIssuer(new CertificateIssuer(cas.deviceCa(),
                CertificateProfile.deviceClient(TestPki.serials(), Clock.systemUTC()), crypto), crypto,
                new dev.fleetkey.service.pki.PublicBaseUrlProperties(java.net.URI.create("https://fleetkey.example.com/"))
                        .crlUrl("device"));

        CertificateCredential credential = withBaseUrl.issueClientCertificate(DEVICE, Duration.ofDays(1), true);
        CertificateCredential without = withBaseUrl.issueClientCertificate(DEVICE, Duration.ofDays(1), false);

        assertVerifies(credential.leaf(), cas.deviceCa().certificate());
        Openssl.writePem(dir, "leaf.pem", credential.leaf());
        assertThat(Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-ext", "crlDistributionPoints").output())
                .contains("X509v3 CRL Distribution Points", "Full Name:",
                        "URI:https://fleetkey.example.com/api/v1/pki/cas/device/crl");
        assertThat(credential.leaf().getNonCriticalExtensionOIDs()).contains("2.5.29.31");
        assertThat(without.leaf().getExtensionValue("2.5.29.31")).isNull();
    }

    @Test
    void aCrlDistributionPointWithoutAPublicBaseUrlIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> devices.issueClientCertificate(DEVICE, Duration.ofDays(1), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetkey.public-base-url");
    }

    @Test
    void rawPublicKeysCarryTheirSpkiAndItsSha256() throws Exception {
        RawPublicKeyCredential device = devices.issueRawPublicKey();
        ServerRawPublicKey server = servers.issueServerRawPublicKey();

        assertThat(device.fingerprint()).isEqualTo(Sha256.digest(device.subjectPublicKeyInfo()));
        assertThat(new DevicePublicKeys(P256Crypto.preferred()).fromSubjectPublicKeyInfo(
                device.subjectPublicKeyInfo())).isNotNull();
        assertThat(device.toString()).doesNotContain(new BigInteger(1, device.privateKey()).toString(16));
        Files.writeString(dir.resolve("server.pub"), server.publicKeyPem());
        Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        Openssl.run(dir, "pkey", "-pubin", "-in", "server.pub", "-outform", "DER", "-out", "server.der");
        assertThat(Files.readAllBytes(dir.resolve("server.der"))).isEqualTo(server.subjectPublicKeyInfo());
        assertThat(Openssl.run(dir, "pkey", "-in", "server.key", "-pubout").output()).isEqualTo(server.publicKeyPem());
    }

    private void assertVerifies(X509Certificate leaf, X509Certificate issuing) {
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());
        Openssl.writePem(dir, "issuing.pem", issuing);
        Openssl.writePem(dir, "leaf.pem", leaf);
        ExternalCommand.Result result = Openssl.run(dir, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted",
                "issuing.pem", "leaf.pem");
        assertThat(result.output()).isEqualTo("leaf.pem: OK\n");
        assertThat(result.succeeded()).isTrue();
    }

    private static void assertDeviceProfile(X509Certificate leaf, Eui64 device) throws Exception {
        assertThat(leaf.getVersion()).isEqualTo(3);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(leaf.getSerialNumber().signum()).isPositive();
        assertThat(leaf.getSerialNumber().bitLength()).isGreaterThan(64);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + device.canonical());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, device.urn()));
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(leaf.getCriticalExtensionOIDs()).containsExactly("2.5.29.15");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(cas.deviceCa().certificate().getSubjectX500Principal());
    }
}

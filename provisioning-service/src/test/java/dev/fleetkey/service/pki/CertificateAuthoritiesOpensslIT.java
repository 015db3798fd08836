package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA hierarchy and the bundle signer as the real openssl binary sees them. */
class CertificateAuthoritiesOpensslIT {

    private static final byte[] CONTENT = "a CBOR bundle payload stands here".getBytes(StandardCharsets.UTF_8);

    private static CertificateAuthorities cas;

    @TempDir
    Path dir;

    @BeforeAll
    static void createHierarchy() {
        cas = TestPki.create();
    }

    @Test
    void bothIssuingCasVerifyStrictlyAgainstTheRoot() {
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());
        Openssl.writePem(dir, "device-ca.pem", cas.deviceCa().certificate());
        Openssl.writePem(dir, "server-ca.pem", cas.serverCa().certificate());

        ExternalCommand.Result result = Openssl.run(dir, "verify", "-x509_strict", "-CAfile", "root.pem",
                "device-ca.pem", "server-ca.pem");

        assertThat(result.output()).contains("device-ca.pem: OK", "server-ca.pem: OK");
        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void openSslShowsThePathLengthConstraints() {
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());
        Openssl.writePem(dir, "device-ca.pem", cas.deviceCa().certificate());

        assertThat(Openssl.run(dir, "x509", "-in", "root.pem", "-noout", "-text").output())
                .contains("CA:TRUE, pathlen:1", "Certificate Sign, CRL Sign", "ecdsa-with-SHA256", "prime256v1");
        assertThat(Openssl.run(dir, "x509", "-in", "device-ca.pem", "-noout", "-text").output())
                .contains("CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign", "X509v3 Authority Key Identifier");
    }

    @Test
    void theExportedRootKeyOpensInOpensslOnlyWithItsPassphrase() throws Exception {
        Files.writeString(dir.resolve("root-key.pem"), cas.exportRootKey("offline passphrase".toCharArray()));
        Openssl.writePem(dir, "root.pem", cas.rootCertificate());

        ExternalCommand.Result withPassphrase = Openssl.run(dir, "pkey", "-in", "root-key.pem", "-passin",
                "pass:offline passphrase", "-pubout");
        ExternalCommand.Result certificateKey = Openssl.run(dir, "x509", "-in", "root.pem", "-noout", "-pubkey");
        ExternalCommand.Result withoutPassphrase = Openssl.run(dir, "pkey", "-in", "root-key.pem", "-passin", "pass:wrong");

        assertThat(Files.readString(dir.resolve("root-key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(withPassphrase.succeeded()).as(withPassphrase.output()).isTrue();
        assertThat(withPassphrase.output()).isEqualTo(certificateKey.output());
        assertThat(withoutPassphrase.succeeded()).isFalse();
    }

    @Test
    void theBundleSignerIsATrustAnchorForOpensslCmsVerifyWithTheCertificateEmbedded() throws Exception {
        Files.write(dir.resolve("bundle.der"), signedData(true));
        Openssl.writePem(dir, "signer.pem", cas.bundleSigner().certificate());

        ExternalCommand.Result result = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-binary", "-in", "bundle.der",
                "-CAfile", "signer.pem", "-out", "content.bin");

        assertThat(result.output()).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("content.bin"))).isEqualTo(CONTENT);
    }

    @Test
    void theBundleSignerIsATrustAnchorForOpensslCmsVerifyWithTheCertificateGivenSeparately() throws Exception {
        Files.write(dir.resolve("bundle.der"), signedData(false));
        Openssl.writePem(dir, "signer.pem", cas.bundleSigner().certificate());

        ExternalCommand.Result result = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-binary", "-in", "bundle.der",
                "-CAfile", "signer.pem", "-certfile", "signer.pem", "-out", "content.bin");

        assertThat(result.output()).contains("Verification successful");
    }

    @Test
    void opensslRejectsABundleWithOneByteChanged() throws Exception {
        byte[] signed = signedData(true);
        int at = indexOf(signed, CONTENT);
        signed[at] ^= 0x01;
        Files.write(dir.resolve("bundle.der"), signed);
        Openssl.writePem(dir, "signer.pem", cas.bundleSigner().certificate());

        ExternalCommand.Result result = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-binary", "-in", "bundle.der",
                "-CAfile", "signer.pem", "-out", "content.bin");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.output()).doesNotContain("Verification successful");
    }

    @Test
    void opensslRejectsABundleSignedByAnotherSigner() throws Exception {
        Files.write(dir.resolve("bundle.der"), signedData(true));
        Openssl.writePem(dir, "other.pem", TestPki.create().bundleSigner().certificate());

        ExternalCommand.Result result = Openssl.run(dir, "cms", "-verify", "-inform", "DER", "-binary", "-in", "bundle.der",
                "-CAfile", "other.pem", "-out", "content.bin");

        assertThat(result.succeeded()).isFalse();
    }

    private static byte[] signedData(boolean embedCertificate) throws Exception {
        BundleSigningIdentity signer = cas.bundleSigner();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(P256Crypto.bouncyCastle()).build())
                .build(P256Crypto.preferred().signer(signer.privateKey()), signer.certificate()));
        if (embedCertificate) {
            generator.addCertificates(new JcaCertStore(List.of(signer.certificate())));
        }
        return generator.generate(new CMSProcessableByteArray(CONTENT), true).getEncoded();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("content not found in the CMS structure");
    }
}

package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthoritiesTest {

    private static final char[] PASSPHRASE = "keystore passphrase".toCharArray();

    @TempDir
    Path dir;

    private CertificateAuthorities open(KeyVault vault) {
        return CertificateAuthorities.openOrCreate(vault, P256Crypto.preferred(), TestPki.serials(),
                Clock.systemUTC(), "Fleetkey Test");
    }

    @Test
    void firstStartCreatesARootAndTwoIssuingCasWithPathLengthConstraints() {
        CertificateAuthorities cas = open(new InMemoryKeyVault());

        X509Certificate root = cas.rootCertificate();
        assertThat(root.getBasicConstraints()).isEqualTo(1);
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        for (IssuingCa ca : new IssuingCa[] {cas.deviceCa(), cas.serverCa()}) {
            X509Certificate cert = ca.certificate();
            assertThat(cert.getBasicConstraints()).isZero();
            assertThat(cert.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
            assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
            assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                    .isEqualTo(256);
            assertThat(cert.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
            assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
            assertThat(cert.getExtensionValue("2.5.29.14")).isNotNull();
            assertThat(cert.getExtensionValue("2.5.29.35")).isNotNull();
            assertThat(ca.chainWithoutRoot()).containsExactly(cert);
        }
        assertThat(cas.deviceCa().certificate()).isNotEqualTo(cas.serverCa().certificate());
        assertThat(cas.rootKeyOnline()).isTrue();
    }

    @Test
    void theBundleSignerIsSelfSignedForDigitalSignatureOnlyWithoutExtendedKeyUsage() throws Exception {
        X509Certificate signer = open(new InMemoryKeyVault()).bundleSigner().certificate();

        signer.verify(signer.getPublicKey());
        assertThat(signer.getKeyUsage()[0]).isTrue();
        assertThat(signer.getKeyUsage()).containsOnlyOnce(true);
        assertThat(signer.getCriticalExtensionOIDs()).contains("2.5.29.15");
        assertThat(signer.getExtendedKeyUsage()).isNull();
        assertThat(signer.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void aRestartReusesTheSameCasAndBundleSigner() {
        Path file = dir.resolve("keystore.p12");
        CertificateAuthorities first = open(new Pkcs12KeyVault(file, PASSPHRASE));

        CertificateAuthorities second = open(new Pkcs12KeyVault(file, PASSPHRASE));

        assertThat(second.rootCertificate()).isEqualTo(first.rootCertificate());
        assertThat(second.deviceCa().chain()).isEqualTo(first.deviceCa().chain());
        assertThat(second.serverCa().chain()).isEqualTo(first.serverCa().chain());
        assertThat(second.bundleSigner().certificate()).isEqualTo(first.bundleSigner().certificate());
        assertThat(second.deviceCa().privateKey().getEncoded()).isEqualTo(first.deviceCa().privateKey().getEncoded());
    }

    @Test
    void issuingCasKeepWorkingAfterTheRootKeyIsTakenOffline() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        CertificateAuthorities first = open(vault);
        first.takeRootKeyOffline();

        CertificateAuthorities reopened = open(vault);

        assertThat(reopened.rootKeyOnline()).isFalse();
        assertThat(reopened.rootCertificate()).isEqualTo(first.rootCertificate());
        assertThatThrownBy(() -> reopened.exportRootKey("long passphrase".toCharArray()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in the keystore");
    }

    @Test
    void aMissingIssuingCaWithTheRootOfflineIsReportedNotRecreated() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        open(vault).takeRootKeyOffline();
        vault.delete(CertificateAuthorities.SERVER_CA_ALIAS);

        assertThatThrownBy(() -> open(vault)).isInstanceOf(KeyVaultException.class)
                .hasMessageContaining("server CA missing").hasMessageContaining("root key offline");
    }

    @Test
    void aMissingIssuingCaIsCreatedWhenTheRootKeyIsAtHand() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        CertificateAuthorities first = open(vault);
        vault.delete(CertificateAuthorities.SERVER_CA_ALIAS);

        CertificateAuthorities second = open(vault);

        assertThat(second.deviceCa().chain()).isEqualTo(first.deviceCa().chain());
        assertThat(second.serverCa().root()).isEqualTo(first.rootCertificate());
    }

    @Test
    void aHierarchyExportedAsPemImportsIntoANewVault() throws Exception {
        CertificateAuthorities original = open(new InMemoryKeyVault());
        CaHierarchyImport imported = CaHierarchyImport.fromPem(pem(original.rootCertificate()),
                pem(original.deviceCa().certificate(), original.deviceCa().privateKey()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()), null);

        InMemoryKeyVault vault = new InMemoryKeyVault();
        CertificateAuthorities cas = CertificateAuthorities.importHierarchy(vault, P256Crypto.preferred(),
                TestPki.serials(), Clock.systemUTC(), imported, "Fleetkey Test");

        assertThat(cas.rootCertificate()).isEqualTo(original.rootCertificate());
        assertThat(cas.deviceCa().chain()).isEqualTo(original.deviceCa().chain());
        assertThat(cas.rootKeyOnline()).isFalse();
        assertThat(cas.bundleSigner().certificate()).isNotEqualTo(original.bundleSigner().certificate());
        assertThatThrownBy(() -> CertificateAuthorities.importHierarchy(vault, P256Crypto.preferred(),
                TestPki.serials(), Clock.systemUTC(), imported, "x"))
                .isInstanceOf(CaImportException.class).hasMessageContaining("already holds");
    }

    @Test
    void aHierarchyInPkcs12ImportsWithItsRootKey() throws Exception {
        CertificateAuthorities original = open(new InMemoryKeyVault());
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        char[] pass = "p12 pass".toCharArray();
        p12.setKeyEntry("device", original.deviceCa().privateKey(), pass, original.deviceCa().chain().toArray(new Certificate[0]));
        p12.setKeyEntry("server", original.serverCa().privateKey(), pass,
                original.serverCa().chain().toArray(new Certificate[0]));
        String exported = original.exportRootKey("export passphrase".toCharArray());
        var rootKey = CaHierarchyImport.fromPem(pem(original.rootCertificate()) + exported,
                pem(original.deviceCa().certificate(), original.deviceCa().privateKey()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()),
                "export passphrase".toCharArray()).rootKey();
        p12.setKeyEntry("root", rootKey, pass, new Certificate[] {original.rootCertificate()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p12.store(bytes, pass);

        CaHierarchyImport imported = CaHierarchyImport.fromPkcs12(bytes.toByteArray(), pass, "device", "server");

        assertThat(imported.root()).isEqualTo(original.rootCertificate());
        assertThat(imported.rootKey()).isNotNull();
        assertThat(imported.serverCa().chain()).isEqualTo(original.serverCa().chain());
    }

    @Test
    void importRefusesAKeyThatDoesNotBelongToItsCertificate() throws Exception {
        CertificateAuthorities original = open(new InMemoryKeyVault());

        assertThatThrownBy(() -> CaHierarchyImport.fromPem(pem(original.rootCertificate()),
                pem(original.deviceCa().certificate(), original.serverCa().privateKey()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()), null))
                .isInstanceOf(CaImportException.class).hasMessageContaining("device CA private key does not belong");
    }

    @Test
    void importRefusesAnIssuingCaFromAnotherRoot() throws Exception {
        CertificateAuthorities original = open(new InMemoryKeyVault());
        CertificateAuthorities other = open(new InMemoryKeyVault());

        assertThatThrownBy(() -> CaHierarchyImport.fromPem(pem(original.rootCertificate()),
                pem(other.deviceCa().certificate(), other.deviceCa().privateKey()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()), null))
                .isInstanceOf(CaImportException.class).hasMessageContaining("device CA certificate is not signed by");
    }

    @Test
    void importRefusesALeafWhereACaBelongs() throws Exception {
        CertificateAuthorities original = open(new InMemoryKeyVault());

        assertThatThrownBy(() -> CaHierarchyImport.fromPem(pem(original.bundleSigner().certificate()),
                pem(original.deviceCa().certificate(), original.deviceCa().privateKey()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()), null))
                .isInstanceOf(CaImportException.class).hasMessageContaining("root CA certificate")
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void importWithoutAnIssuingCaKeySaysWhatToAdd() {
        CertificateAuthorities original = open(new InMemoryKeyVault());

        assertThatThrownBy(() -> CaHierarchyImport.fromPem(pem(original.rootCertificate()),
                pem(original.deviceCa().certificate()),
                pem(original.serverCa().certificate(), original.serverCa().privateKey()), null))
                .isInstanceOf(CaImportException.class).hasMessageContaining("device CA PEM holds no private key");
    }

    static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return text.toString();
    }
}

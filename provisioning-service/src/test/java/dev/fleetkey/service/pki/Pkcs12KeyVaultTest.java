package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12KeyVaultTest {

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    @Test
    void reopeningWithTheSamePassphraseGivesBackEveryEntry() {
        Path file = dir.resolve("keystore.p12");
        Pkcs12KeyVault vault = new Pkcs12KeyVault(file, PASSPHRASE);
        CertificateAuthorities cas = CertificateAuthorities.openOrCreate(vault, P256Crypto.preferred(),
                new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory()), Clock.systemUTC(), "Test");
        vault.storeSecretKey("kek", new SecretKeySpec(new byte[32], "AES"));

        Pkcs12KeyVault reopened = new Pkcs12KeyVault(file, PASSPHRASE.clone());

        assertThat(reopened.aliases()).isEqualTo(vault.aliases());
        VaultKeyEntry device = reopened.privateKeyEntry(CertificateAuthorities.DEVICE_CA_ALIAS).orElseThrow();
        assertThat(device.chain()).containsExactlyElementsOf(cas.deviceCa().chain());
        assertThat(device.privateKey().getEncoded()).isEqualTo(
                vault.privateKeyEntry(CertificateAuthorities.DEVICE_CA_ALIAS).orElseThrow().privateKey().getEncoded());
        assertThat(reopened.secretKey("kek").orElseThrow().getEncoded()).isEqualTo(new byte[32]);
    }

    @Test
    void aWrongPassphraseSaysToCheckTheKeystorePasswordVariable() {
        Path file = dir.resolve("keystore.p12");
        new Pkcs12KeyVault(file, PASSPHRASE).storeSecretKey("kek", new SecretKeySpec(new byte[32], "AES"));

        assertThatThrownBy(() -> new Pkcs12KeyVault(file, "hunter2-typo".toCharArray()))
                .isInstanceOf(WrongKeystorePassphraseException.class)
                .hasMessageContaining("FLEETKEY_KEYSTORE_PASSWORD")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("hunter2-typo");
    }

    @Test
    void anEmptyPassphraseIsRefused() {
        assertThatThrownBy(() -> new Pkcs12KeyVault(dir.resolve("k.p12"), new char[0]))
                .isInstanceOf(KeyVaultException.class).hasMessageContaining("FLEETKEY_KEYSTORE_PASSWORD");
    }

    @Test
    void aFileThatIsNoKeystoreIsNamedInTheError() throws Exception {
        Path file = Files.writeString(dir.resolve("keystore.p12"), "not a keystore");

        assertThatThrownBy(() -> new Pkcs12KeyVault(file, PASSPHRASE))
                .isInstanceOf(KeyVaultException.class).hasMessageContaining(file.toString());
    }

    @Test
    void writesReplaceTheFileAndLeaveNoTemporaryFilesBehind() throws Exception {
        Path file = dir.resolve("sub").resolve("keystore.p12");
        Pkcs12KeyVault vault = new Pkcs12KeyVault(file, PASSPHRASE);
        KeyPair keys = P256Crypto.preferred().generateKeyPair();
        X509Certificate cert = selfSigned(keys);

        vault.storePrivateKeyEntry("a", keys.getPrivate(), List.of(cert));
        vault.storePrivateKeyEntry("b", keys.getPrivate(), List.of(cert));
        vault.delete("a");

        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(new Pkcs12KeyVault(file, PASSPHRASE).aliases()).containsExactly("b");
    }

    @Test
    void nothingIsWrittenBeforeTheFirstStore() {
        Path file = dir.resolve("keystore.p12");
        Pkcs12KeyVault vault = new Pkcs12KeyVault(file, PASSPHRASE);

        assertThat(vault.aliases()).isEmpty();
        assertThat(file).doesNotExist();
    }

    private static X509Certificate selfSigned(KeyPair keys) {
        var factory = new CaCertificateFactory(P256Crypto.preferred(),
                new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory()));
        var now = java.time.Instant.now();
        return factory.root(keys, new org.bouncycastle.asn1.x500.X500Name("CN=test"), now, now.plusSeconds(3600), 0);
    }
}

package dev.fleetkey.service.pki.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.Pkcs12KeyVault;
import dev.fleetkey.service.pki.SerialNumbers;
import dev.fleetkey.service.pki.SerialRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan Pkcs11KeysIT relies on finds the private keys a PKCS#12 data directory holds, and nothing else. */
class PrivateKeyScanTest {

    @TempDir
    Path dir;

    @Test
    void aPkcs12KeystoreIsFound() {
        Pkcs12KeyVault vault = new Pkcs12KeyVault(dir.resolve("keystore.p12"), "passphrase".toCharArray());
        CertificateAuthorities.openOrCreate(vault, P256Crypto.preferred(),
                new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory()), Clock.systemUTC(), "Test");

        assertThat(PrivateKeyScan.files(dir)).anySatisfy(f -> assertThat(f).contains("keystore.p12: a PKCS#12 file"))
                .anySatisfy(f -> assertThat(f).endsWith(": 0201033082"));
    }

    @Test
    void pkcs8KeysInDerPemAndBase64AreFoundAndCertificatesAreNot() throws Exception {
        byte[] pkcs8 = P256Crypto.preferred().generateKeyPair().getPrivate().getEncoded();
        List<String> findings = new ArrayList<>();
        PrivateKeyScan.scan(pkcs8, "der", findings);
        PrivateKeyScan.scan(("{\"key\":\"" + Base64.getEncoder().encodeToString(pkcs8) + "\"}")
                .getBytes(StandardCharsets.US_ASCII), "json", findings);
        PrivateKeyScan.scan("-----BEGIN EC PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII), "pem", findings);
        assertThat(findings).anyMatch(f -> f.startsWith("der:")).anyMatch(f -> f.startsWith("json:"))
                .anyMatch(f -> f.startsWith("pem:"));

        Path certificates = Files.createDirectories(dir.resolve("certs"));
        Files.write(certificates.resolve("root.der"), CertificateAuthorities.openOrCreate(
                new dev.fleetkey.service.pki.InMemoryKeyVault(), P256Crypto.preferred(),
                new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory()), Clock.systemUTC(), "Test")
                .rootCertificate().getEncoded());
        assertThat(PrivateKeyScan.files(certificates)).isEmpty();
    }
}

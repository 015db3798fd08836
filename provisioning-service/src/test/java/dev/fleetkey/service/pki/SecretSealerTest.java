package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretSealerTest {

    private static final byte[] PSK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final String CONTEXT = "psk:00-11-22-FF-FE-33-44-55";

    private final SecretSealer sealer = new SecretSealer(new InMemoryKeyVault(), new SecureRandom());

    @Test
    void aSealedSecretOpensWithItsContext() throws Exception {
        byte[] sealed = sealer.seal(PSK, CONTEXT);

        assertThat(sealer.open(sealed, CONTEXT)).isEqualTo(PSK);
        assertThat(sealed).hasSize(2 + 12 + PSK.length + 16);
        assertThat(sealed[0]).isEqualTo((byte) 1);
    }

    @Test
    void sealingTheSameSecretTwiceGivesDifferentBlobs() {
        assertThat(sealer.seal(PSK, CONTEXT)).isNotEqualTo(sealer.seal(PSK, CONTEXT));
    }

    @Test
    void aBlobMovedToAnotherDeviceDoesNotOpen() {
        byte[] sealed = sealer.seal(PSK, CONTEXT);

        assertThatThrownBy(() -> sealer.open(sealed, "psk:00-11-22-FF-FE-33-44-56"))
                .isInstanceOf(SealedSecretException.class).hasMessageContaining("another context")
                .hasMessageNotContaining(HexFormat.of().formatHex(PSK));
    }

    @ParameterizedTest(name = "flipping byte {0} is detected")
    @ValueSource(ints = {2, 13, 14, 20, 29, 45})
    void anyAlteredByteIsDetected(int index) {
        byte[] sealed = sealer.seal(PSK, CONTEXT);
        sealed[index] ^= 0x01;

        assertThatThrownBy(() -> sealer.open(sealed, CONTEXT)).isInstanceOf(SealedSecretException.class);
    }

    @Test
    void anUnknownFormatVersionIsNamed() {
        byte[] sealed = sealer.seal(PSK, CONTEXT);
        sealed[0] = 9;

        assertThatThrownBy(() -> sealer.open(sealed, CONTEXT)).isInstanceOf(SealedSecretException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void aTruncatedBlobIsRejected() {
        assertThatThrownBy(() -> sealer.open(new byte[10], CONTEXT)).isInstanceOf(SealedSecretException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void anotherVaultsKeyCannotOpenTheBlob() {
        byte[] sealed = sealer.seal(PSK, CONTEXT);
        SecretSealer other = new SecretSealer(new InMemoryKeyVault(), new SecureRandom());

        assertThatThrownBy(() -> other.open(sealed, CONTEXT)).isInstanceOf(SealedSecretException.class);
    }

    @Test
    void theKeyEncryptionKeySurvivesAReopenOfTheKeystore(@TempDir Path dir) throws Exception {
        char[] passphrase = "a passphrase".toCharArray();
        Path file = dir.resolve("keystore.p12");
        byte[] sealed = new SecretSealer(new Pkcs12KeyVault(file, passphrase), new SecureRandom()).seal(PSK, CONTEXT);

        SecretSealer afterRestart = new SecretSealer(new Pkcs12KeyVault(file, passphrase), new SecureRandom());

        assertThat(afterRestart.open(sealed, CONTEXT)).isEqualTo(PSK);
    }
}

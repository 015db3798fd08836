package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;
import dev.fleetkey.service.pki.InMemoryKeyVault;
import dev.fleetkey.service.pki.Pkcs12KeyVault;

class DiversifiedPskDeriverTest {

    private static final byte[] MASTER = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");

    private final DiversifiedPskDeriver deriver = new DiversifiedPskDeriver(MASTER);

    @Test
    void theKeyIsHkdfSha256OfTheMasterWithEui64AndVersionAsInfo() throws Exception {
        PskCredential psk = deriver.derive(DEVICE, 3, 32);

        byte[] info = ByteBuffer.allocate(12).put(DEVICE.toBytes()).putInt(3).array();
        assertThat(psk.key()).isEqualTo(hkdfWithJdkHmac(MASTER, info, 32));
    }

    @Test
    void theIdentityShowsTheKeyVersionAndTheDevice() {
        PskCredential psk = deriver.derive(DEVICE, 2, 16);

        assertThat(new String(psk.identity(), StandardCharsets.US_ASCII)).isEqualTo("v2:001122fffe334455");
        assertThat(DiversifiedPskDeriver.parseIdentity(psk.identity())).hasValue(
                new DiversifiedPskDeriver.DiversifiedIdentity(DEVICE, 2));
    }

    @Test
    void aNewKeyVersionOrAnotherDeviceGivesAnotherKey() {
        byte[] v1 = deriver.derive(DEVICE, 1, 16).key();

        assertThat(deriver.derive(DEVICE, 2, 16).key()).isNotEqualTo(v1);
        assertThat(deriver.derive(Eui64.parse("001122fffe334456"), 1, 16).key()).isNotEqualTo(v1);
        assertThat(new DiversifiedPskDeriver(new byte[32]).derive(DEVICE, 1, 16).key()).isNotEqualTo(v1);
        assertThat(deriver.derive(DEVICE, 1, 16).key()).isEqualTo(v1);
    }

    @Test
    void aServerDerivesTheKeyFromTheIdentityAlone() {
        PskCredential psk = deriver.derive(DEVICE, 7, 16);

        assertThat(deriver.keyForIdentity(psk.identity(), 16)).hasValueSatisfying(
                key -> assertThat(key).isEqualTo(psk.key()));
    }

    @ParameterizedTest(name = "\"{0}\" is not a diversified identity")
    @ValueSource(strings = {"", "v0:001122fffe334455", "v1:001122fffe33445", "v1-001122fffe334455",
        "V1:001122fffe334455", "v1:001122fffe334455x", "v99999999999:001122fffe334455", "dev-001122fffe334455"})
    void otherIdentitiesAreNotMistakenForDiversifiedOnes(String identity) {
        assertThat(DiversifiedPskDeriver.parseIdentity(identity.getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
        assertThat(deriver.keyForIdentity(identity.getBytes(StandardCharsets.ISO_8859_1), 16)).isEmpty();
    }

    @Test
    void aShortMasterKeyOrAVersionBelowOneIsRefused() {
        assertThatThrownBy(() -> new DiversifiedPskDeriver(new byte[31])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> deriver.derive(DEVICE, 0, 16)).hasMessageContaining("versions start at 1");
        assertThat(deriver.toString()).doesNotContain("0001");
    }

    @Test
    void batchMasterKeysAreCreatedOnceAndSurviveAKeystoreReopen(@TempDir Path dir) {
        char[] pass = "vault passphrase".toCharArray();
        Path file = dir.resolve("keystore.p12");
        PskCredential before = new PskBatchKeys(new Pkcs12KeyVault(file, pass), new SecureRandom())
                .deriver("line-a").derive(DEVICE, 1, 16);

        PskBatchKeys reopened = new PskBatchKeys(new Pkcs12KeyVault(file, pass), new SecureRandom());

        assertThat(reopened.deriver("line-a").derive(DEVICE, 1, 16)).isEqualTo(before);
        assertThat(reopened.deriver("line-b").derive(DEVICE, 1, 16)).isNotEqualTo(before);
    }

    @ParameterizedTest(name = "batch name \"{0}\" is refused")
    @ValueSource(strings = {"", "Line-A", "-a", "a b", "a/b"})
    void batchNamesAreRestrictedToSafeAliasCharacters(String batch) {
        PskBatchKeys keys = new PskBatchKeys(new InMemoryKeyVault(), new SecureRandom());

        assertThatThrownBy(() -> keys.deriver(batch)).hasMessageContaining("lower-case letters, digits and hyphens");
    }

    /** RFC 5869 written out with the JDK's HMAC, independent of BouncyCastle's HKDF. */
    private static byte[] hkdfWithJdkHmac(byte[] ikm, byte[] info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] out = new byte[0];
        byte[] t = new byte[0];
        for (int i = 1; out.length < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            byte[] grown = Arrays.copyOf(out, out.length + t.length);
            System.arraycopy(t, 0, grown, out.length, t.length);
            out = grown;
        }
        return Arrays.copyOf(out, length);
    }
}

package dev.fleetkey.bundle.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The one credential value model: copies in and out, wipes, hides secrets, compares by content. */
class CredentialValuesTest {

    private static final KeyPair KEYS = TestPki.p256();
    private static final TestPki.Identity LEAF = TestPki.selfSignedSigner("credential-values-test");

    /** A maker of one mode's value from (public part, secret), and how to read the secret back. */
    record Mode(String name, CredentialMode mode, Function<byte[], Credential> make,
            Function<Credential, byte[]> secret) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Mode> modes() {
        byte[] spki = KEYS.getPublic().getEncoded();
        return Stream.of(
                new Mode("psk", CredentialMode.PSK, s -> new PskCredential(TestBundles.GOOD_PSK_IDENTITY, s),
                        c -> ((PskCredential) c).key()),
                new Mode("rpk", CredentialMode.RAW_PUBLIC_KEY, s -> new RawPublicKeyCredential(s, spki),
                        c -> ((RawPublicKeyCredential) c).privateKey()),
                new Mode("x509", CredentialMode.X509, s -> new CertificateCredential(s, List.of(LEAF.certificate())),
                        c -> ((CertificateCredential) c).privateKey()));
    }

    private static byte[] secret() {
        return HexFormat.of().parseHex("5a5a5a5a0102030405060708090a0b0c0d0e0f10");
    }

    @ParameterizedTest(name = "{0}: the secret given is copied, and every read returns a fresh copy")
    @MethodSource("modes")
    void secretsAreCopiedInAndOut(Mode mode) {
        byte[] given = secret();
        Credential credential = mode.make().apply(given);
        Arrays.fill(given, (byte) 0);
        mode.secret().apply(credential)[0] = 0;

        assertThat(mode.secret().apply(credential)).isEqualTo(secret());
        assertThat(credential.holdsSecret()).isTrue();
        assertThat(credential.mode()).isEqualTo(mode.mode());
    }

    @ParameterizedTest(name = "{0}: wipe overwrites the secret held")
    @MethodSource("modes")
    void wipeOverwritesTheSecret(Mode mode) {
        Credential credential = mode.make().apply(secret());
        credential.wipe();

        assertThat(mode.secret().apply(credential)).containsOnly(0);
    }

    @ParameterizedTest(name = "{0}: toString never shows the secret")
    @MethodSource("modes")
    void toStringHidesTheSecret(Mode mode) {
        String text = mode.make().apply(secret()).toString();

        assertThat(text).containsIgnoringCase("hidden").doesNotContainIgnoringCase(HexFormat.of().formatHex(secret()))
                .doesNotContain(Arrays.toString(secret()));
    }

    @ParameterizedTest(name = "{0}: equal content is equal, a different secret is not")
    @MethodSource("modes")
    void equalityFollowsContent(Mode mode) {
        byte[] other = secret();
        other[other.length - 1] ^= 1;

        assertThat(mode.make().apply(secret())).isEqualTo(mode.make().apply(secret()))
                .hasSameHashCodeAs(mode.make().apply(secret()))
                .isNotEqualTo(mode.make().apply(other));
    }

    static Stream<Arguments> keyPairModesWithoutPrivateKey() {
        return Stream.of(Arguments.of(new RawPublicKeyCredential(null, KEYS.getPublic().getEncoded())),
                Arguments.of(new CertificateCredential(null, List.of(LEAF.certificate()))));
    }

    @ParameterizedTest(name = "{0} made on the device holds no secret and says so")
    @MethodSource("keyPairModesWithoutPrivateKey")
    void aKeyMadeOnTheDeviceIsNoSecretOfOurs(Credential credential) {
        credential.wipe();

        assertThat(credential.holdsSecret()).isFalse();
        assertThat(credential.toString()).contains("on device");
    }

    @ParameterizedTest(name = "identity {0} prints as {1}")
    @CsvSource({"6465762d31, dev-1", "0102, 0x0102", "64657620, 'dev '", "7f, 0x7f"})
    void aPskIdentityPrintsAsTextWhenPrintableElseAsHex(String identityHex, String printed) {
        PskCredential psk = new PskCredential(HexFormat.of().parseHex(identityHex), secret());

        assertThat(psk.printableIdentity()).isEqualTo(printed);
        assertThat(psk.toString()).contains("identity=" + printed).contains(secret().length + " bytes hidden");
    }

    @ParameterizedTest(name = "identity of {0} bytes and key of {1} bytes are refused")
    @CsvSource({"0, 16", "4, 0", "4, 15"})
    void aPskNeedsAnIdentityAndAtLeastOneHundredTwentyEightBits(int identityLength, int keyLength) {
        assertThatThrownBy(() -> new PskCredential(new byte[identityLength], new byte[keyLength]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("A PSK");
    }

    @Test
    void aPskIdentityIsComparedBitForBit() {
        byte[] upper = "DEV-1".getBytes(StandardCharsets.US_ASCII);
        byte[] lower = "dev-1".getBytes(StandardCharsets.US_ASCII);

        assertThat(new PskCredential(upper, secret())).isNotEqualTo(new PskCredential(lower, secret()));
    }

    @Test
    void aRawPublicKeyIsPinnedByTheSha256OfItsSubjectPublicKeyInfo() throws Exception {
        byte[] spki = KEYS.getPublic().getEncoded();

        assertThat(new RawPublicKeyCredential(null, spki).fingerprint())
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(spki));
    }

    @Test
    void aCertificateCredentialCarriesItsChainAsDerLeafFirst() throws Exception {
        CertificateCredential x509 = new CertificateCredential(null, List.of(LEAF.certificate()));

        assertThat(x509.leaf()).isEqualTo(LEAF.certificate());
        assertThat(x509.chainDer()).containsExactly(LEAF.certificate().getEncoded());
    }

    @Test
    void aBundleEntryCarriesThePskWholeAndGivesItBack() {
        PskCredential psk = new PskCredential(TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK);

        assertThat(new ServerCredentials.Psk(psk).credential()).isEqualTo(psk);
        assertThat(new ServerCredentials.Psk(psk)).isEqualTo(
                new ServerCredentials.Psk(TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK));
    }

    @ParameterizedTest(name = "an entry without its {0} has no PSK to give")
    @CsvSource({"PSK identity, false, true", "PSK, true, false"})
    void aBundleEntryWithoutItsSecretOrIdentityHasNoPskToGive(String missing, boolean withIdentity, boolean withKey) {
        ServerCredentials.Psk entry = new ServerCredentials.Psk(withIdentity ? TestBundles.GOOD_PSK_IDENTITY : null,
                withKey ? TestBundles.GOOD_PSK : null);

        assertThatThrownBy(entry::credential).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carries no " + missing + ":");
    }
}

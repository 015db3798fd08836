package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestPki;
import java.security.KeyPair;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BundleSecretsTest {

    private final KeyPair station = TestPki.p256();
    private final BundleVerifier verifier = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();

    private static BundlePayload unsealed(BundlePayload p) {
        return new BundlePayload(p.formatVersion(), p.kind(), p.bundleId(), p.sequence(), p.issuedAt(), p.notAfter(),
                p.device(), p.template(), p.servers(), p.dtlsPolicy(), false);
    }

    @Test
    void sealedBundleCarriesNoSecretInClearAndOpensToTheOriginal() throws Exception {
        for (BundlePayload original : new BundlePayload[] {unsealed(TestBundles.pskDevicePayload(5)),
                unsealed(TestBundles.rpkDevicePayload(5)), unsealed(TestBundles.x509DevicePayload(5))}) {
            BundlePayload sealed = BundleSecrets.seal(original, station.getPublic());
            byte[] bundle = TestBundles.signer().sign(sealed);
            assertThat(sealed.hasClearSecrets()).isFalse();
            assertThat(HexFormat.of().formatHex(bundle)).doesNotContain(HexFormat.of().formatHex(TestBundles.GOOD_PSK));
            VerifiedBundle verified = verifier.verify(bundle, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, 4),
                    station.getPrivate());
            assertThat(verified.payload()).isEqualTo(original);
        }
    }

    @Test
    void anotherKeyCannotOpenTheSecrets() {
        BundlePayload sealed = BundleSecrets.seal(unsealed(TestBundles.pskDevicePayload(5)), station.getPublic());
        assertThatThrownBy(() -> BundleSecrets.open(sealed, TestPki.p256().getPrivate()))
                .isInstanceOf(SecretsDecryptionException.class).hasMessageContaining("another recipient");
    }

    @Test
    void damagedEnvelopeIsUndecryptable() {
        BundlePayload sealed = BundleSecrets.seal(unsealed(TestBundles.pskDevicePayload(5)), station.getPublic());
        byte[] envelope = sealed.sealedSecrets();
        envelope[envelope.length - 20] ^= 0x01; // inside the ciphertext or tag
        BundlePayload damaged = new BundlePayload(sealed.formatVersion(), sealed.kind(), sealed.bundleId(), sealed.sequence(),
                sealed.issuedAt(), sealed.notAfter(), sealed.device(), sealed.template(), sealed.servers(),
                sealed.dtlsPolicy(), false, envelope);
        assertThatThrownBy(() -> BundleSecrets.open(damaged, station.getPrivate()))
                .isInstanceOf(SecretsDecryptionException.class);
    }

    @Test
    void envelopeNamesTheRecipientByItsKeyId() {
        BundlePayload sealed = BundleSecrets.seal(unsealed(TestBundles.pskDevicePayload(5)), station.getPublic());
        assertThat(BundleSecrets.envelopeRecipientKeyId(sealed.sealedSecrets()))
                .isEqualTo(BundleSecrets.recipientKeyId(station.getPublic()));
    }

    @Test
    void clearSecretsWithoutTheFlagCannotBeEncoded() {
        assertThatThrownBy(() -> BundleCodec.encode(unsealed(TestBundles.pskDevicePayload(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BundleSecrets.seal");
    }

    @Test
    void fleetBundlesHaveNothingToSeal() {
        assertThatThrownBy(() -> BundleSecrets.seal(TestBundles.fleetPayload(1), station.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifierForProductionRefusesFlaggedClearSecrets() {
        BundleVerifier strict = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate())
                .refuseSecretsInClear().build();
        byte[] clear = TestBundles.signer().sign(TestBundles.pskDevicePayload(5));
        assertThatThrownBy(() -> strict.verify(clear, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, 4)))
                .isInstanceOf(ClearSecretsException.class);
    }
}

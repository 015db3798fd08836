package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestBytes;
import dev.fleetkey.bundle.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private final BundleVerifier verifier = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();
    private final byte[] good = TestBundles.signer().sign(TestBundles.pskDevicePayload(5));

    @Test
    void goodBundleVerifiesForItsDevice() throws Exception {
        VerifiedBundle verified = verifier.verify(good, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, 4));
        assertThat(verified.payload()).isEqualTo(TestBundles.pskDevicePayload(5));
        assertThat(verified.signer()).isEqualTo(TestBundles.SIGNER.certificate());
    }

    @Test
    void anyChangedPayloadByteIsABadSignature() {
        byte[] payload = BundleCodec.encode(TestBundles.pskDevicePayload(5));
        int offset = TestBytes.requireIndexOf(good, payload);
        for (int i = 0; i < payload.length; i++) {
            byte[] tampered = good.clone();
            tampered[offset + i] ^= 0x01;
            assertThatThrownBy(() -> verifier.verify(tampered, VerificationContext.standalone()))
                    .as("byte %d of the payload flipped", i)
                    .isInstanceOf(BadSignatureException.class);
        }
    }

    @Test
    void signerOutsideTheAnchorsIsUntrusted() {
        TestPki.Identity stranger = TestPki.selfSignedSigner("Somebody else");
        byte[] foreign = new BundleSigner(stranger.privateKey(), stranger.certificate(), true)
                .sign(TestBundles.pskDevicePayload(5));
        assertThatThrownBy(() -> verifier.verify(foreign, VerificationContext.standalone()))
                .isInstanceOf(UntrustedSignerException.class);
    }

    @Test
    void embeddedSignerIssuedByAnAnchorIsTrusted() throws Exception {
        TestPki.Identity root = TestPki.selfSignedCa("Bundle root");
        TestPki.Identity leaf = TestPki.issuedSigner("Bundle signer 2", root);
        byte[] bundle = new BundleSigner(leaf.privateKey(), leaf.certificate(), true).sign(TestBundles.pskDevicePayload(5));
        BundleVerifier rootVerifier = BundleVerifier.builder().trustAnchor(root.certificate()).build();
        assertThat(rootVerifier.verify(bundle, VerificationContext.standalone()).signer()).isEqualTo(leaf.certificate());
    }

    @Test
    void fleetBundleWhereADeviceBundleIsExpectedIsWrongKind() {
        byte[] fleet = TestBundles.signer().sign(TestBundles.fleetPayload(1));
        assertThatThrownBy(() -> verifier.verify(fleet, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, -1)))
                .isInstanceOf(WrongKindException.class);
    }

    @Test
    void bundleForAnotherDeviceIsRefused() {
        assertThatThrownBy(() -> verifier.verify(good, VerificationContext.forDevice(TestBundles.OTHER_DEVICE, -1)))
                .isInstanceOf(WrongDeviceException.class).hasMessageContaining(TestBundles.OTHER_DEVICE.canonical());
    }

    @Test
    void expiredAndFutureBundlesAreRefused() {
        VerificationContext ctx = VerificationContext.standalone();
        assertThatThrownBy(() -> verifier.verify(good, ctx.at(Instant.now().plus(Duration.ofDays(400)))))
                .isInstanceOfSatisfying(ValidityException.class, e -> assertThat(e.isExpired()).isTrue());
        assertThatThrownBy(() -> verifier.verify(good, ctx.at(Instant.now().minus(Duration.ofHours(1)))))
                .isInstanceOfSatisfying(ValidityException.class, e -> assertThat(e.isExpired()).isFalse());
    }

    @Test
    void sequenceNotAboveTheLastAcceptedIsARollback() {
        assertThatThrownBy(() -> verifier.verify(good, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, 5)))
                .isInstanceOf(RollbackException.class).hasMessageContaining("5");
    }

    @Test
    void oversizeInputIsRefusedBeforeParsing() {
        assertThatThrownBy(() -> verifier.verify(new byte[BundleVerifier.DEFAULT_MAX_SIZE + 1], VerificationContext.standalone()))
                .isInstanceOf(OversizeBundleException.class);
    }

    @Test
    void garbageIsMalformed() {
        assertThatThrownBy(() -> verifier.verify(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, VerificationContext.standalone()))
                .isInstanceOf(MalformedBundleException.class);
    }

    @Test
    void truncatedBundleIsRefusedWithATypedError() {
        for (int len = 0; len < good.length; len += 7) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> verifier.verify(cut, VerificationContext.standalone()))
                    .isInstanceOf(BundleException.class);
        }
    }

}

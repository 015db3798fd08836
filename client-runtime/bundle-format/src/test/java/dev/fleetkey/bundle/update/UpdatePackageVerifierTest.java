package dev.fleetkey.bundle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.BadSignatureException;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.DeterministicCbor;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.MalformedBundleException;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.UntrustedSignerException;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.WrongKindException;
import dev.fleetkey.bundle.WrongProductLineException;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestBytes;
import dev.fleetkey.bundle.testing.TestPki;
import dev.fleetkey.bundle.testing.TestReleases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdatePackageVerifierTest {

    private static final byte[] IMAGE = "firmware image 1.2.0 for rev-b, pretend machine code".getBytes();
    private static final TestPki.Identity ROOT = TestPki.selfSignedCa("Server Root A");
    private static final BundlePayload FLEET = TestReleases.fleet(TestReleases.PRODUCT_LINE, 5,
            DtlsPolicy.profileDefault(), TestReleases.x509Server("fleet", URI.create("coaps://coap.example.net"), null,
                    ROOT.certificate()));
    private static final UpdatePackageVerifier VERIFIER =
            new UpdatePackageVerifier(BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build());

    private static UpdateExpectations device(long lastSequence) {
        return new UpdateExpectations(TestReleases.PRODUCT_LINE, TestReleases.HARDWARE, lastSequence, Instant.now(),
                VerificationContext.DEFAULT_CLOCK_SKEW);
    }

    @Test
    void packagingTheSameInputsTwiceGivesTheSameBytes() {
        byte[] first = TestReleases.release(FLEET, "1.2.0", IMAGE);
        byte[] second = TestReleases.release(FLEET, "1.2.0", IMAGE.clone());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void aGoodPackageVerifiesWithItsManifestAndComponents() throws BundleException {
        UpdatePackager.Packed packed = TestReleases.pack(FLEET, TestReleases.HARDWARE, "1.2.0", IMAGE,
                Map.of(TestBundles.GOOD_DEVICE.canonical(), TestBundles.signer().sign(TestBundles.pskDevicePayload(3))));

        VerifiedPackage verified = VERIFIER.verify(packed.bytes(), device(4));

        assertThat(verified.manifest()).isEqualTo(packed.manifest());
        assertThat(verified.manifest().firmwareVersion()).isEqualTo("1.2.0");
        assertThat(verified.manifest().sequence()).isEqualTo(5);
        assertThat(verified.image()).isEqualTo(IMAGE);
        assertThat(verified.fleetBundle()).isEqualTo(TestBundles.signer().sign(FLEET));
        assertThat(verified.deviceBundle(TestBundles.GOOD_DEVICE.canonical())).isPresent();
        assertThat(verified.manifest().image().size()).isEqualTo(IMAGE.length);
    }

    @Test
    void everySingleByteChangeAnywhereInThePackageIsRefusedWithATypedReason() {
        byte[] good = TestReleases.release(FLEET, "1.2.0", IMAGE);
        int imageStart = TestBytes.requireIndexOf(good, IMAGE);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            int position = i;
            assertThatThrownBy(() -> VERIFIER.verify(bad, device(4))).as("byte %d changed", position)
                    .isInstanceOf(BundleException.class);
        }
        byte[] tamperedImage = good.clone();
        tamperedImage[imageStart + 3] ^= 0x20;
        assertThatThrownBy(() -> VERIFIER.verify(tamperedImage, device(4)))
                .isInstanceOf(TamperedComponentException.class).hasMessageContaining("firmware-image")
                .satisfies(e -> assertThat(((BundleException) e).reason()).isEqualTo("tampered"));
    }

    @Test
    void aReplayOfAnOlderOrTheSameSequenceIsRefusedAsRollback() {
        byte[] pkg = TestReleases.release(FLEET, "1.2.0", IMAGE);

        assertThatThrownBy(() -> VERIFIER.verify(pkg, device(5))).isInstanceOf(RollbackException.class);
        assertThatThrownBy(() -> VERIFIER.verify(pkg, device(9))).isInstanceOf(RollbackException.class);
    }

    @Test
    void aPackageForAnotherProductLineOrHardwareClassIsRefused() {
        byte[] other = TestReleases.release(TestReleases.fleet("other-meter", 5, DtlsPolicy.profileDefault(),
                FLEET.servers().get(0)), "1.2.0", IMAGE);
        byte[] revA = TestReleases.pack(FLEET, "rev-a", "1.2.0", IMAGE, Map.of()).bytes();

        assertThatThrownBy(() -> VERIFIER.verify(other, device(0))).isInstanceOf(WrongProductLineException.class);
        assertThatThrownBy(() -> VERIFIER.verify(revA, device(0))).isInstanceOf(WrongHardwareClassException.class)
                .hasMessageContaining("'rev-a'").hasMessageContaining("'rev-b'");
    }

    @Test
    void anExpiredOrNotYetValidPackageIsRefused() {
        byte[] pkg = TestReleases.release(FLEET, "1.2.0", IMAGE);
        UpdateExpectations late = new UpdateExpectations(TestReleases.PRODUCT_LINE, TestReleases.HARDWARE, 0,
                Instant.now().plus(Duration.ofDays(100)), VerificationContext.DEFAULT_CLOCK_SKEW);
        UpdateExpectations early = new UpdateExpectations(TestReleases.PRODUCT_LINE, TestReleases.HARDWARE, 0,
                Instant.now().minus(Duration.ofDays(1)), VerificationContext.DEFAULT_CLOCK_SKEW);

        assertThatThrownBy(() -> VERIFIER.verify(pkg, late)).isInstanceOfSatisfying(PackageValidityException.class,
                e -> assertThat(e.reason()).isEqualTo("package-expired"));
        assertThatThrownBy(() -> VERIFIER.verify(pkg, early)).isInstanceOfSatisfying(PackageValidityException.class,
                e -> assertThat(e.reason()).isEqualTo("package-not-yet-valid"));
    }

    @Test
    void aPackageSignedByAnotherSignerIsRefusedAsUntrusted() {
        TestPki.Identity rogue = TestPki.selfSignedSigner("Rogue signer");
        byte[] pkg = new UpdatePackager(new BundleSigner(rogue.privateKey(), rogue.certificate(), false)).pack(
                new UpdatePackager.Release(FLEET.template(), TestReleases.HARDWARE, "1.2.0", 5, TestReleases.ISSUED, null),
                IMAGE, TestBundles.signer().sign(FLEET), Map.of()).bytes();

        assertThatThrownBy(() -> VERIFIER.verify(pkg, device(0))).isInstanceOf(UntrustedSignerException.class);
    }

    @Test
    void aSignedManifestIsNeverABundleNorABundleAManifest() throws Exception {
        UpdatePackager.Packed packed = TestReleases.pack(FLEET, TestReleases.HARDWARE, "1.2.0", IMAGE, Map.of());
        UpdatePackage parts = UpdatePackage.decode(packed.bytes());
        BundleVerifier bundles = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();
        byte[] bundleAsManifest = new UpdatePackage(TestBundles.signer().sign(FLEET), parts.components()).encode();

        assertThatThrownBy(() -> bundles.verify(parts.signedManifest(), VerificationContext.standalone()))
                .isInstanceOf(MalformedBundleException.class);
        assertThatThrownBy(() -> VERIFIER.verify(bundleAsManifest, device(0)))
                .isInstanceOf(MalformedBundleException.class).hasMessageContaining("not an update manifest");
    }

    @Test
    void componentsSwappedBetweenPackagesAreRefused() throws Exception {
        UpdatePackage one = UpdatePackage.decode(TestReleases.release(FLEET, "1.2.0", IMAGE));
        UpdatePackage two = UpdatePackage.decode(TestReleases.release(FLEET, "1.2.1", "another image".getBytes()));
        byte[] mixed = new UpdatePackage(one.signedManifest(), two.components()).encode();

        assertThatThrownBy(() -> VERIFIER.verify(mixed, device(0))).isInstanceOf(TamperedComponentException.class);
    }

    @Test
    void manifestRoundTripsThroughItsOneEncoding() throws Exception {
        UpdateManifest manifest = TestReleases.pack(FLEET, TestReleases.HARDWARE, "1.2.0", IMAGE, Map.of()).manifest();

        assertThat(UpdateManifestCodec.decode(UpdateManifestCodec.encode(manifest))).isEqualTo(manifest);
        assertThat(manifest.notAfter()).isNotNull();
    }

    @Test
    void aManifestTemplateThatIsNotIdAndVersionIsMalformed() {
        UpdateManifest manifest = TestReleases.pack(FLEET, TestReleases.HARDWARE, "1.2.0", IMAGE, Map.of()).manifest();
        CBORObject m = CBORObject.DecodeFromBytes(UpdateManifestCodec.encode(manifest));
        m.Set(UpdateManifestCodec.TEMPLATE, CBORObject.NewArray().Add("demo-sensor"));

        assertThatThrownBy(() -> UpdateManifestCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(MalformedBundleException.class).hasMessage("manifest.template must be [id, version]");
    }

    @Test
    void aFleetBundleIsNotAcceptedWhereADeviceBundleIsExpected() {
        BundleVerifier bundles = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();
        assertThatThrownBy(() -> bundles.verify(TestBundles.signer().sign(FLEET),
                VerificationContext.forDevice(TestBundles.GOOD_DEVICE, -1))).isInstanceOf(WrongKindException.class);
    }

    @Test
    void aChangedSignatureIsRefusedAsBadSignature() throws Exception {
        UpdatePackage parts = UpdatePackage.decode(TestReleases.release(FLEET, "1.2.0", IMAGE));
        byte[] manifest = parts.signedManifest();
        manifest[manifest.length - 5] ^= 0x01; // inside the ECDSA signature's s value
        byte[] pkg = new UpdatePackage(manifest, parts.components()).encode();

        assertThatThrownBy(() -> VERIFIER.verify(pkg, device(0))).isInstanceOf(BadSignatureException.class);
    }
}

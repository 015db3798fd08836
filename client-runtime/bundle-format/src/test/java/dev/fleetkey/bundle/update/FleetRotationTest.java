package dev.fleetkey.bundle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestPki;
import dev.fleetkey.bundle.testing.TestReleases;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rotation rules, one case each: what a device refuses so that no fleet update can strand it. */
class FleetRotationTest {

    private static final URI URI_X = URI.create("coaps://coap.example.net");
    private static final URI URI_R = URI.create("coaps://rpk.example.net");
    private static final TestPki.Identity OLD_ROOT = TestPki.selfSignedCa("Server Root 2025");
    private static final TestPki.Identity NEW_ROOT = TestPki.selfSignedCa("Server Root 2027");
    private static final TestPki.Identity FLEET_ROOT = TestPki.selfSignedCa("Fleet Root (devices and servers)");
    private static final TestPki.Identity DEVICE_CA = TestPki.issuedCa("Device CA", FLEET_ROOT);
    private static final KeyPair OLD_KEY = TestPki.p256();
    private static final KeyPair NEW_KEY = TestPki.p256();
    private static final Instant NOW = Instant.now();

    private static BundlePayload fleet(long sequence, ServerEntry... servers) {
        return TestReleases.fleet(TestReleases.PRODUCT_LINE, sequence, DtlsPolicy.profileDefault(), servers);
    }

    private static ServerEntry x509(TestPki.Identity... anchors) {
        return TestReleases.x509Server("fleet", URI_X, null,
                java.util.Arrays.stream(anchors).map(TestPki.Identity::certificate).toArray(java.security.cert.X509Certificate[]::new));
    }

    /** A device whose client chain [leaf, device CA] ends at FLEET_ROOT. */
    private static BundlePayload device() throws Exception {
        TestPki.Identity leaf = TestPki.issuedSigner(TestBundles.GOOD_DEVICE.canonical(), DEVICE_CA);
        ServerEntry entry = new ServerEntry("fleet", URI_X, null, CredentialMode.X509,
                List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.Certificates(
                        leaf.privateKey().getEncoded(), List.of(leaf.certificate().getEncoded(),
                        DEVICE_CA.certificate().getEncoded()), List.of(OLD_ROOT.certificate().getEncoded())));
        return TestBundles.payload(BundleKind.DEVICE, TestBundles.GOOD_DEVICE, 1, List.of(entry));
    }

    @Test
    void addingTheNewAnchorBesideTheOldThenDroppingTheOldIsAccepted() throws Exception {
        BundlePayload one = fleet(1, x509(OLD_ROOT));
        BundlePayload two = fleet(2, x509(OLD_ROOT, NEW_ROOT));
        BundlePayload three = fleet(3, x509(NEW_ROOT));

        assertThatCode(() -> FleetRotation.check(null, one, device(), NOW)).doesNotThrowAnyException();
        assertThatCode(() -> FleetRotation.check(one, two, device(), NOW)).doesNotThrowAnyException();
        assertThatCode(() -> FleetRotation.check(two, three, device(), NOW)).doesNotThrowAnyException();
        assertThat(FleetChanges.between(one, device(), two).anchorsAdded()).singleElement().asString()
                .contains("Server Root 2027");
        assertThat(FleetChanges.between(two, device(), three).anchorsRemoved()).singleElement().asString()
                .contains("Server Root 2025");
    }

    @Test
    void swappingAnAnchorWithoutOverlapIsRefused() {
        assertThatThrownBy(() -> FleetRotation.check(fleet(1, x509(OLD_ROOT)), fleet(2, x509(NEW_ROOT)), device(), NOW))
                .isInstanceOfSatisfying(RotationRefusedException.class, e -> {
                    assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.NO_OVERLAP);
                    assertThat(e.reason()).isEqualTo("rotation-no-overlap");
                    assertThat(e.server()).isEqualTo("fleet");
                });
    }

    @Test
    void theFirstFleetBundleMustOverlapTheDeviceBundlesOwnAnchors() {
        assertThatThrownBy(() -> FleetRotation.check(null, fleet(1, x509(NEW_ROOT)), device(), NOW))
                .isInstanceOfSatisfying(RotationRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.NO_OVERLAP));
    }

    @Test
    void aServerLeftWithOnlyAnExpiredAnchorIsRefused() {
        TestPki.Identity expired = TestPki.expiredCa("Expired Root");
        assertThatThrownBy(() -> FleetRotation.check(fleet(1, x509(expired, OLD_ROOT)), fleet(2, x509(expired)),
                device(), NOW)).isInstanceOfSatisfying(RotationRefusedException.class,
                e -> assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.NO_VALID_ANCHOR));
    }

    @Test
    void droppingTheAnchorTheDevicesOwnChainEndsAtIsRefused() {
        BundlePayload both = fleet(1, x509(OLD_ROOT, FLEET_ROOT));
        BundlePayload withoutFleetRoot = fleet(2, x509(OLD_ROOT));

        assertThatThrownBy(() -> FleetRotation.check(both, withoutFleetRoot, device(), NOW))
                .isInstanceOfSatisfying(RotationRefusedException.class, e -> {
                    assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.ANCHOR_IN_USE);
                    assertThat(e).hasMessageContaining("Fleet Root");
                });
    }

    @Test
    void rawPublicKeyPinsRotateTheSameWay() {
        BundlePayload one = fleet(1, TestReleases.rpkServer("rpk", URI_R, OLD_KEY.getPublic()));
        BundlePayload two = fleet(2, TestReleases.rpkServer("rpk", URI_R, OLD_KEY.getPublic(), NEW_KEY.getPublic()));
        BundlePayload three = fleet(3, TestReleases.rpkServer("rpk", URI_R, NEW_KEY.getPublic()));

        assertThatCode(() -> FleetRotation.check(one, two, null, NOW)).doesNotThrowAnyException();
        assertThatCode(() -> FleetRotation.check(two, three, null, NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> FleetRotation.check(one, three, null, NOW))
                .isInstanceOfSatisfying(RotationRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.NO_OVERLAP));
        assertThat(FleetChanges.between(one, null, two).pinsAdded()).hasSize(1);
        assertThat(FleetChanges.between(two, null, three).pinsRemoved()).hasSize(1);
    }

    @Test
    void aRawPublicKeyServerWithNoPinIsRefused() {
        ServerEntry unpinned = new ServerEntry("rpk", URI_R, null, CredentialMode.RAW_PUBLIC_KEY,
                List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(null, null, List.of(), List.of()));

        assertThatThrownBy(() -> FleetRotation.check(null, fleet(1, unpinned), null, NOW))
                .isInstanceOfSatisfying(RotationRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(RotationRefusedException.Rule.NO_PIN));
    }

    @Test
    void addedAndRemovedServersAreListed() {
        BundlePayload one = fleet(1, x509(OLD_ROOT));
        BundlePayload two = fleet(2, TestReleases.rpkServer("rpk", URI_R, NEW_KEY.getPublic()));

        FleetChanges changes = FleetChanges.between(one, null, two);

        assertThat(changes.serversAdded()).singleElement().asString().startsWith("rpk ");
        assertThat(changes.serversRemoved()).containsExactly("fleet");
        assertThat(changes.lines()).contains("- server fleet");
    }
}

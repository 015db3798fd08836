package dev.fleetkey.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.WrongProductLineException;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestReleases;
import dev.fleetkey.bundle.update.RotationRefusedException;
import dev.fleetkey.bundle.update.WrongHardwareClassException;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** Install, update, crash at every step, fall back: the state directory always names a complete state. */
class DeviceStateDirectoryTest {

    private static final String HOST = "coap.fleet.example.net";
    private static final URI URI_X = URI.create("coaps://" + HOST + ":5684");
    private static final BundleVerifier VERIFIER =
            BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();

    private static TestCertificates.Issued oldRoot;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static TestCertificates.Issued newRoot;
    private static byte[] deviceBundle;
    private static byte[] release1;
    private static byte[] release2;
    private static byte[] release3;

    @TempDir
    Path dir;

    @BeforeAll
    static void releases() {
        oldRoot = TestCertificates.ca("Server Root 2025");
        newRoot = TestCertificates.ca("Server Root 2027");
        deviceCa = TestCertificates.ca("Device CA");
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        deviceBundle = TestBundles.signer().sign(DeviceBundles.x509("fleet", URI_X, HOST, device,
                deviceCa.certificate(), oldRoot.certificate(), DtlsPolicy.profileDefault()));
        release1 = release(1, "1.0.0", oldRoot);
        release2 = release(2, "1.1.0", oldRoot, newRoot);
        release3 = release(3, "1.2.0", newRoot);
    }

    private static byte[] release(long sequence, String version, TestCertificates.Issued... anchors) {
        return TestReleases.release(TestReleases.fleet(TestReleases.PRODUCT_LINE, sequence, DtlsPolicy.profileDefault(),
                TestReleases.x509Server("fleet", URI_X, HOST, Stream.of(anchors).map(TestCertificates.Issued::certificate)
                        .toArray(java.security.cert.X509Certificate[]::new))), version, ("image " + version).getBytes());
    }

    private DeviceStateDirectory installed() throws Exception {
        return DeviceStateDirectory.install(dir, deviceBundle, TestReleases.HARDWARE, VERIFIER, Instant.now());
    }

    private static InstalledState update(DeviceStateDirectory state, byte[] pkg) throws Exception {
        Instant now = Instant.now();
        return state.apply(state.plan(pkg, now), now);
    }

    @Test
    void installedDeviceRunsItsDeviceBundleAndKnowsWhatItIs() throws Exception {
        DeviceStateDirectory state = installed();

        InstalledState current = DeviceStateDirectory.open(dir, VERIFIER).current(Instant.now());
        assertThat(state.identity()).isEqualTo(new DeviceIdentity(TestReleases.PRODUCT_LINE, "rev-b", TestBundles.GOOD_DEVICE));
        assertThat(current.fleetBundle()).isEmpty();
        assertThat(current.effectiveBundle()).isEqualTo(current.deviceBundle());
        assertThatThrownBy(this::installed).isInstanceOf(StateDirectoryException.class).hasMessageContaining("already installed");
    }

    @Test
    void updatesRotateTheAnchorInStepsAndKeepThePreviousState() throws Exception {
        DeviceStateDirectory state = installed();
        update(state, release1);
        InstalledState two = update(state, release2);
        InstalledState three = update(state, release3);

        assertThat(three.firmwareVersion()).contains("1.2.0");
        assertThat(three.fleetSequence()).isEqualTo(3);
        assertThat(state.previous(Instant.now()).orElseThrow().slot()).isEqualTo(two.slot());
        ServerCredentials.Certificates effective = (ServerCredentials.Certificates)
                three.effectiveBundle().server("fleet").orElseThrow().credentials();
        assertThat(effective.trustAnchors()).containsExactly(newRoot.certificate().getEncoded());
        assertThat(effective.clientPrivateKey()).isNotNull();
        assertThat(Files.list(dir.resolve("states")).count()).as("current and previous only").isEqualTo(2);
        assertThat(Files.readAllBytes(dir.resolve("states").resolve(three.slot()).resolve("firmware.bin")))
                .isEqualTo("image 1.2.0".getBytes());
    }

    @Test
    void fallingBackRunsThePreviousStateAndKeepsTheCounters() throws Exception {
        DeviceStateDirectory state = installed();
        update(state, release1);
        InstalledState two = update(state, release2);

        InstalledState back = state.fallBack(Instant.now());

        assertThat(back.fleetSequence()).isEqualTo(1);
        assertThat(back.firmwareVersion()).contains("1.0.0");
        assertThat(DeviceStateDirectory.open(dir, VERIFIER).current(Instant.now()).slot()).isEqualTo(back.slot());
        assertThat(state.previous(Instant.now()).orElseThrow().slot()).isEqualTo(two.slot());
        assertThatThrownBy(() -> state.plan(release2, Instant.now())).isInstanceOf(RollbackException.class);
        assertThat(state.fallBack(Instant.now()).slot()).as("and forward again").isEqualTo(two.slot());
    }

    @Test
    void aFreshInstallationHasNothingToFallBackTo() throws Exception {
        assertThatThrownBy(() -> installed().fallBack(Instant.now())).isInstanceOf(StateDirectoryException.class)
                .hasMessageContaining("no previous state");
    }

    @Test
    void replayOfAnAppliedReleaseIsRefusedAsRollback() throws Exception {
        DeviceStateDirectory state = installed();
        update(state, release1);
        update(state, release2);

        assertThatThrownBy(() -> state.plan(release1, Instant.now())).isInstanceOf(RollbackException.class);
        assertThatThrownBy(() -> state.plan(release2, Instant.now())).isInstanceOf(RollbackException.class);
    }

    @Test
    void skippingTheOverlapReleaseIsRefusedByTheRotationRules() throws Exception {
        DeviceStateDirectory state = installed();
        update(state, release1);

        assertThatThrownBy(() -> state.plan(release3, Instant.now())).isInstanceOf(RotationRefusedException.class);
        assertThat(state.current(Instant.now()).fleetSequence()).isEqualTo(1);
    }

    @Test
    void packagesForAnotherProductLineOrHardwareAreRefused() throws Exception {
        DeviceStateDirectory state = installed();
        byte[] otherLine = TestReleases.release(TestReleases.fleet("other-meter", 1, DtlsPolicy.profileDefault(),
                TestReleases.x509Server("fleet", URI_X, HOST, oldRoot.certificate())), "1.0.0", new byte[8]);
        byte[] revA = TestReleases.pack(TestReleases.fleet(TestReleases.PRODUCT_LINE, 1, DtlsPolicy.profileDefault(),
                TestReleases.x509Server("fleet", URI_X, HOST, oldRoot.certificate())), "rev-a", "1.0.0", new byte[8],
                Map.of()).bytes();

        assertThatThrownBy(() -> state.plan(otherLine, Instant.now())).isInstanceOf(WrongProductLineException.class);
        assertThatThrownBy(() -> state.plan(revA, Instant.now())).isInstanceOf(WrongHardwareClassException.class);
    }

    /** A device bundle with a new key and certificate, sequence {@code sequence}, sealed to {@code recipient}. */
    private static byte[] newCredentials(long sequence, TestCertificates.Issued fresh, java.security.PublicKey recipient) {
        BundlePayload clear = DeviceBundles.x509("fleet", URI_X, HOST, fresh, deviceCa.certificate(),
                oldRoot.certificate(), DtlsPolicy.profileDefault());
        BundlePayload unflagged = new BundlePayload(clear.formatVersion(), clear.kind(), clear.bundleId(), sequence,
                clear.issuedAt(), clear.notAfter(), clear.device(), clear.template(), clear.servers(),
                clear.dtlsPolicy(), false);
        return TestBundles.signer().sign(BundleSecrets.seal(unflagged, recipient));
    }

    private static byte[] releaseWithDeviceBundle(long sequence, byte[] deviceBundle) {
        return TestReleases.pack(TestReleases.fleet(TestReleases.PRODUCT_LINE, sequence, DtlsPolicy.profileDefault(),
                TestReleases.x509Server("fleet", URI_X, HOST, oldRoot.certificate())), TestReleases.HARDWARE,
                "1.0." + sequence, new byte[] {1, 2, 3}, Map.of(TestBundles.GOOD_DEVICE.canonical(), deviceBundle)).bytes();
    }

    private static byte[] clientKey(InstalledState state) {
        return ((ServerCredentials.Certificates) state.effectiveBundle().server("fleet").orElseThrow().credentials())
                .clientPrivateKey();
    }

    @Test
    void newCredentialsSealedToTheCurrentKeyReplaceItAndTheNextRotationUsesTheNewKey() throws Exception {
        DeviceStateDirectory state = installed();
        TestCertificates.Issued second = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        TestCertificates.Issued third = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);

        InstalledState rotated = update(state, releaseWithDeviceBundle(1, newCredentials(2, second,
                device.keyPair().getPublic())));
        assertThat(clientKey(rotated)).isEqualTo(second.privateKey().getEncoded());
        assertThat(DeviceStateDirectory.open(dir, VERIFIER).current(Instant.now()).deviceBundle().sequence()).isEqualTo(2);

        assertThatThrownBy(() -> state.plan(releaseWithDeviceBundle(2, newCredentials(3, third,
                device.keyPair().getPublic())), Instant.now())).as("sealed to the replaced key")
                .isInstanceOf(SecretsDecryptionException.class);
        InstalledState again = update(state, releaseWithDeviceBundle(2, newCredentials(3, third,
                second.keyPair().getPublic())));
        assertThat(clientKey(again)).isEqualTo(third.privateKey().getEncoded());
        assertThatThrownBy(() -> state.plan(releaseWithDeviceBundle(3, newCredentials(3, third,
                third.keyPair().getPublic())), Instant.now())).as("a replayed device bundle sequence")
                .isInstanceOf(RollbackException.class);
    }

    /** A simulated crash: the process stops dead at the step, nothing after it runs. */
    private static final class Crash extends RuntimeException {
        Crash(DeviceStateDirectory.Step step) {
            super("crash at " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(DeviceStateDirectory.Step.class)
    void aCrashAtAnyStepLeavesACompleteOldOrNewState(DeviceStateDirectory.Step crashAt) throws Exception {
        update(installed(), release1);
        DeviceStateDirectory crashing = DeviceStateDirectory.open(dir, VERIFIER, step -> {
            if (step == crashAt) {
                throw new Crash(step);
            }
        });
        assertThatThrownBy(() -> update(crashing, release2)).isInstanceOf(Crash.class);

        DeviceStateDirectory restarted = DeviceStateDirectory.open(dir, VERIFIER);
        InstalledState current = restarted.current(Instant.now());
        boolean switched = crashAt == DeviceStateDirectory.Step.SWITCHED;
        assertThat(current.fleetSequence()).isEqualTo(switched ? 2 : 1);
        assertThat(current.firmwareVersion()).contains(switched ? "1.1.0" : "1.0.0");
        assertThat(restarted.lastFleetSequence()).as("counter caught up with the committed state")
                .isEqualTo(current.fleetSequence());
        assertThat(dir.resolve("next")).doesNotExist();
        assertThat(Files.list(dir.resolve("states")).count()).isLessThanOrEqualTo(2);
        if (switched) {
            assertThatThrownBy(() -> restarted.plan(release2, Instant.now())).isInstanceOf(RollbackException.class);
        } else {
            assertThat(update(restarted, release2).fleetSequence()).isEqualTo(2);
        }
    }

    @Test
    void aDamagedPointerIsReportedNotGuessed() throws Exception {
        installed();
        Files.writeString(dir.resolve("current"), "state-99\n");

        assertThatThrownBy(() -> DeviceStateDirectory.open(dir, VERIFIER)).isInstanceOf(StateDirectoryException.class)
                .hasMessageContaining("names no state");
    }

    @Test
    void anUninstalledDirectorySaysHowToInstall() {
        assertThatThrownBy(() -> DeviceStateDirectory.open(dir, VERIFIER)).isInstanceOf(StateDirectoryException.class)
                .hasMessageContaining("fleetkey-device install");
    }
}

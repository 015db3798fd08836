package dev.fleetkey.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.WrongDeviceException;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestReleases;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** Bundles delivered on their own (GET /config) go through the same checks and crash-safe steps as packages. */
class DeviceStateDirectoryBundlesTest {

    private static final String HOST = "coap.fleet.example.net";
    private static final URI URI_X = URI.create("coaps://" + HOST + ":5684");
    private static final BundleVerifier VERIFIER =
            BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();

    private static TestCertificates.Issued root;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static byte[] deviceBundle;
    private static byte[] fleet1;
    private static byte[] fleet2;

    @TempDir
    Path dir;

    @BeforeAll
    static void bundles() {
        root = TestCertificates.ca("Server Root");
        deviceCa = TestCertificates.ca("Device CA");
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        deviceBundle = TestBundles.signer().sign(DeviceBundles.x509("fleet", URI_X, HOST, device,
                deviceCa.certificate(), root.certificate(), DtlsPolicy.profileDefault()));
        fleet1 = fleet(1);
        fleet2 = fleet(2);
    }

    private static byte[] fleet(long sequence) {
        return TestBundles.signer().sign(TestReleases.fleet(TestReleases.PRODUCT_LINE, sequence,
                DtlsPolicy.profileDefault(), TestReleases.x509Server("fleet", URI_X, HOST, root.certificate())));
    }

    /** New credentials for {@code eui64}, sequence {@code sequence}, sealed to the device's current key. */
    private static byte[] newCredentials(Eui64 eui64, long sequence, TestCertificates.Issued fresh) {
        BundlePayload clear = DeviceBundles.x509("fleet", URI_X, HOST, fresh, deviceCa.certificate(),
                root.certificate(), DtlsPolicy.profileDefault());
        BundlePayload unflagged = new BundlePayload(clear.formatVersion(), clear.kind(), clear.bundleId(), sequence,
                clear.issuedAt(), clear.notAfter(), eui64, clear.template(), clear.servers(), clear.dtlsPolicy(), false);
        return TestBundles.signer().sign(BundleSecrets.seal(unflagged, device.keyPair().getPublic()));
    }

    private DeviceStateDirectory installed() throws Exception {
        return DeviceStateDirectory.install(dir, deviceBundle, TestReleases.HARDWARE, VERIFIER, Instant.now());
    }

    private static InstalledState apply(DeviceStateDirectory state, byte[] fleet, byte[] device) throws Exception {
        Instant now = Instant.now();
        return state.apply(state.planBundles(fleet, device, now), now);
    }

    @Test
    void aNewerFleetBundleIsAppliedAndTheOneHeldIsNothingToDo() throws Exception {
        DeviceStateDirectory state = installed();

        InstalledState one = apply(state, fleet1, null);
        UpdatePlan same = state.planBundles(fleet1, null, Instant.now());
        InstalledState unchanged = state.apply(same, Instant.now());
        InstalledState two = apply(state, fleet2, null);

        assertThat(one.fleetSequence()).isEqualTo(1);
        assertThat(one.firmwareVersion()).as("no firmware came with it").isEmpty();
        assertThat(same.nothingToDo()).isTrue();
        assertThat(unchanged.slot()).as("nothing applied").isEqualTo(one.slot());
        assertThat(two.fleetSequence()).isEqualTo(2);
        assertThat(state.previous(Instant.now()).orElseThrow().slot()).isEqualTo(one.slot());
        assertThat(DeviceStateDirectory.open(dir, VERIFIER).lastFleetSequence()).isEqualTo(2);
    }

    @Test
    void anOlderFleetBundleOrAReplayedDeviceBundleIsRefusedAsRollback() throws Exception {
        DeviceStateDirectory state = installed();
        apply(state, fleet2, null);
        TestCertificates.Issued fresh = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        byte[] rotated = newCredentials(TestBundles.GOOD_DEVICE, 2, fresh);
        apply(state, fleet2, rotated);

        assertThatThrownBy(() -> state.planBundles(fleet1, null, Instant.now())).isInstanceOf(RollbackException.class);
        assertThatThrownBy(() -> state.planBundles(fleet2, deviceBundle, Instant.now()))
                .as("the installed device bundle again").isInstanceOf(RollbackException.class);
        assertThatThrownBy(() -> state.planBundles(fleet2, rotated, Instant.now()))
                .as("the rotated one again").isInstanceOf(RollbackException.class);
    }

    @Test
    void aDeviceBundleForAnotherDeviceIsRefused() throws Exception {
        DeviceStateDirectory state = installed();
        TestCertificates.Issued other = TestCertificates.device(TestBundles.OTHER_DEVICE, deviceCa);

        assertThatThrownBy(() -> state.planBundles(fleet1, newCredentials(TestBundles.OTHER_DEVICE, 5, other),
                Instant.now())).isInstanceOf(WrongDeviceException.class);
        assertThat(state.current(Instant.now()).fleetBundle()).isEmpty();
    }

    @Test
    void aDeviceBundleWithoutThePrivateKeyTheDeviceNeedsIsRefused() throws Exception {
        DeviceStateDirectory state = installed();
        BundlePayload clear = DeviceBundles.x509("fleet", URI_X, HOST, TestCertificates.device(TestBundles.GOOD_DEVICE,
                deviceCa), deviceCa.certificate(), root.certificate(), DtlsPolicy.profileDefault());
        ServerEntry server = clear.servers().get(0);
        ServerCredentials.Certificates full = (ServerCredentials.Certificates) server.credentials();
        ServerEntry keyless = new ServerEntry(server.name(), server.uri(), server.host(), server.mode(),
                server.cipherSuites(), new ServerCredentials.Certificates(null, full.clientChain(), full.trustAnchors()));
        byte[] withheld = TestBundles.signer().sign(new BundlePayload(clear.formatVersion(), clear.kind(),
                clear.bundleId(), 2, clear.issuedAt(), clear.notAfter(), clear.device(), clear.template(),
                java.util.List.of(keyless), clear.dtlsPolicy(), false));

        assertThatThrownBy(() -> state.planBundles(fleet1, withheld, Instant.now()))
                .isInstanceOf(SecretsDecryptionException.class).hasMessageContaining("no private key for server 'fleet'");
    }

    @Test
    void aSealedDeviceBundleIsOpenedWithTheCurrentKeyAndRunsFromThenOn() throws Exception {
        DeviceStateDirectory state = installed();
        TestCertificates.Issued fresh = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);

        InstalledState rotated = apply(state, fleet1, newCredentials(TestBundles.GOOD_DEVICE, 2, fresh));

        InstalledState reopened = DeviceStateDirectory.open(dir, VERIFIER).current(Instant.now());
        assertThat(reopened.deviceBundle().sequence()).isEqualTo(2);
        assertThat(((ServerCredentials.Certificates) reopened.effectiveBundle().server("fleet").orElseThrow()
                .credentials()).clientPrivateKey()).isEqualTo(fresh.privateKey().getEncoded());
        assertThat(rotated.fleetSequence()).isEqualTo(1);
    }

    @Test
    void bundlesAfterAPackageKeepItsFirmware() throws Exception {
        DeviceStateDirectory state = installed();
        byte[] release = TestReleases.release(TestReleases.fleet(TestReleases.PRODUCT_LINE, 1,
                DtlsPolicy.profileDefault(), TestReleases.x509Server("fleet", URI_X, HOST, root.certificate())),
                "1.0.0", "image 1.0.0".getBytes());
        state.apply(state.plan(release, Instant.now()), Instant.now());

        InstalledState after = apply(state, fleet2, null);

        assertThat(after.firmwareVersion()).contains("1.0.0");
        assertThat(Files.readAllBytes(dir.resolve("states").resolve(after.slot()).resolve("firmware.bin")))
                .isEqualTo("image 1.0.0".getBytes());
    }

    @Test
    void theConfigTagIsRememberedPerServerAndForgottenWhenTheStateSwitches() throws Exception {
        DeviceStateDirectory state = installed();
        apply(state, fleet1, null);
        state.rememberConfigTag("fleetkey", new byte[] {1, 2, 3});

        assertThat(DeviceStateDirectory.open(dir, VERIFIER).configTag("fleetkey")).contains(new byte[] {1, 2, 3});
        assertThat(state.configTag("other")).isEmpty();
        state.fallBack(Instant.now());
        assertThat(state.configTag("fleetkey")).as("it described the state fallen back from").isEmpty();
    }

    /** A simulated crash: the process stops dead at the step, nothing after it runs. */
    private static final class Crash extends RuntimeException {
        Crash(DeviceStateDirectory.Step step) {
            super("crash at " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(DeviceStateDirectory.Step.class)
    void aCrashAtAnyStepLeavesTheOldOrTheNewBundles(DeviceStateDirectory.Step crashAt) throws Exception {
        apply(installed(), fleet1, null);
        DeviceStateDirectory crashing = DeviceStateDirectory.open(dir, VERIFIER, step -> {
            if (step == crashAt) {
                throw new Crash(step);
            }
        });
        TestCertificates.Issued fresh = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        byte[] rotated = newCredentials(TestBundles.GOOD_DEVICE, 2, fresh);
        assertThatThrownBy(() -> apply(crashing, fleet2, rotated)).isInstanceOf(Crash.class);

        DeviceStateDirectory restarted = DeviceStateDirectory.open(dir, VERIFIER);
        InstalledState current = restarted.current(Instant.now());
        boolean switched = crashAt == DeviceStateDirectory.Step.SWITCHED;
        assertThat(current.fleetSequence()).isEqualTo(switched ? 2 : 1);
        assertThat(current.deviceBundle().sequence()).as("device and fleet bundles switch together")
                .isEqualTo(switched ? 2 : 1);
        assertThat(restarted.lastFleetSequence()).isEqualTo(current.fleetSequence());
        assertThat(dir.resolve("next")).doesNotExist();
        if (switched) {
            assertThatThrownBy(() -> restarted.planBundles(fleet2, rotated, Instant.now()))
                    .isInstanceOf(RollbackException.class);
        } else {
            assertThat(apply(restarted, fleet2, rotated).deviceBundle().sequence()).isEqualTo(2);
        }
    }
}

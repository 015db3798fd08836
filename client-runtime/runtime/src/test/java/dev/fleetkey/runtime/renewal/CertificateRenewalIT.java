package dev.fleetkey.runtime.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestReleases;
import dev.fleetkey.runtime.ClientIdentity;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.keys.SoftwareKeys;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.EstTestServer;
import dev.fleetkey.runtime.testing.TestCertificates;

/** Renewal against a coaps server speaking RFC 9148 /sren, over real UDP, with crashes between the steps. */
class CertificateRenewalIT {

    private static final String HOST = "coap.fleet.example.net";
    private static final String SERVER = "fleet";
    private static final BundleVerifier VERIFIER =
            BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();

    private static TestCertificates.Issued root;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static EstTestServer server;

    @TempDir
    Path dir;

    private DeviceStateDirectory state;

    @BeforeAll
    static void startServer() throws Exception {
        root = TestCertificates.ca("Fleet Root");
        deviceCa = TestCertificates.intermediateCa("Fleet Device CA", root);
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        server = EstTestServer.start(TestCertificates.server(HOST, root), deviceCa, root.certificate());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void install() throws Exception {
        server.answer(EstTestServer.Answer.ISSUE);
        byte[] bundle = TestBundles.signer().sign(DeviceBundles.x509(SERVER, URI.create("coaps://" + HOST + ":5684"),
                HOST, device, deviceCa.certificate(), root.certificate(), DeviceBundles.FAST));
        state = DeviceStateDirectory.install(dir, bundle, TestReleases.HARDWARE, VERIFIER, Instant.now());
    }

    private CertificateRenewal renewal(CertificateRenewal.Checkpoint checkpoint) {
        return new CertificateRenewal(state, new SoftwareKeys(), Optional.of(server.address()),
                SessionOptions.defaults().withStateDirectory(dir), checkpoint);
    }

    private InstalledState current() throws Exception {
        return state.current(Instant.now());
    }

    /** The serial the server sees when the device connects with what the state directory says now. */
    private BigInteger serialSeenOnConnect() throws Exception {
        Optional<ClientIdentity> identity = renewal(step -> { }).identity(SERVER, current());
        SessionOptions options = SessionOptions.defaults();
        try (SecureSession session = SecureSession.open(current().effectiveBundle(), SERVER,
                Optional.of(server.address()), identity.isPresent() ? options.withClientIdentity(identity.get())
                        : options)) {
            assertThat(session.get("/hello").text()).isEqualTo("hello");
        }
        return server.clientSerials().get(server.clientSerials().size() - 1);
    }

    @Test
    void renewalReEnrollsWithTheOldCertificateAndSwitchesAfterAHandshakeWithTheNewOne() throws Exception {
        BigInteger old = device.certificate().getSerialNumber();

        CertificateRenewal.Outcome outcome = renewal(step -> { }).renew(SERVER, Instant.now());

        BigInteger renewed = outcome.renewed().getSerialNumber();
        assertThat(outcome.previous().getSerialNumber()).isEqualTo(old);
        assertThat(renewed).isNotEqualTo(old);
        assertThat(server.clientSerials()).as("the /sren request came with the old certificate").endsWith(old);
        assertThat(state.renewedCredential(SERVER, current())).get()
                .satisfies(c -> assertThat(c.leaf().getSerialNumber()).isEqualTo(renewed));
        assertThat(state.pendingCredential(SERVER, current())).isEmpty();
        assertThat(serialSeenOnConnect()).isEqualTo(renewed);
    }

    @Test
    void aSecondRenewalUsesTheFirstRenewedCertificateAndReplacesIt() throws Exception {
        BigInteger first = renewal(step -> { }).renew(SERVER, Instant.now()).renewed().getSerialNumber();

        CertificateRenewal.Outcome second = renewal(step -> { }).renew(SERVER, Instant.now());

        assertThat(second.previous().getSerialNumber()).isEqualTo(first);
        assertThat(serialSeenOnConnect()).isEqualTo(second.renewed().getSerialNumber());
    }

    @ParameterizedTest
    @EnumSource(CertificateRenewal.Step.class)
    void aCrashAtAnyStepLeavesAUsableCredentialAndTheNextRunFinishesTheSwitch(CertificateRenewal.Step crashAt)
            throws Exception {
        assertThatThrownBy(() -> renewal(step -> {
            if (step == crashAt) {
                throw new IllegalStateException("crash at " + step);
            }
        }).renew(SERVER, Instant.now())).hasMessage("crash at " + crashAt);

        BigInteger usable = serialSeenOnConnect();
        assertThat(usable).isIn(device.certificate().getSerialNumber(),
                state.renewedCredential(SERVER, current()).map(c -> c.leaf().getSerialNumber()).orElse(null));
        DeviceStateDirectory reopened = DeviceStateDirectory.open(dir, VERIFIER);
        state = reopened;
        renewal(step -> { }).settlePending(SERVER, current());

        assertThat(state.pendingCredential(SERVER, current())).isEmpty();
        BigInteger renewed = state.renewedCredential(SERVER, current()).orElseThrow().leaf().getSerialNumber();
        assertThat(renewed).isNotEqualTo(device.certificate().getSerialNumber());
        assertThat(serialSeenOnConnect()).isEqualTo(renewed);
    }

    @Test
    void aRefusalIsReportedWithTheServersDiagnosticAndChangesNothing() throws Exception {
        server.answer(EstTestServer.Answer.REFUSE);

        assertThatThrownBy(() -> renewal(step -> { }).renew(SERVER, Instant.now()))
                .isInstanceOf(RenewalRefusedException.class)
                .hasMessageContaining("4.03").hasMessageContaining("device is revoked")
                .hasMessageContaining("keeps its current certificate");

        assertThat(state.renewedCredential(SERVER, current())).isEmpty();
        assertThat(state.pendingCredential(SERVER, current())).isEmpty();
        assertThat(serialSeenOnConnect()).isEqualTo(device.certificate().getSerialNumber());
    }

    @ParameterizedTest
    @EnumSource(value = EstTestServer.Answer.class, names = {"OTHER_DEVICE", "OTHER_KEY"})
    void aCertificateForAnotherDeviceOrKeyIsNotTakenOn(EstTestServer.Answer answer) throws Exception {
        server.answer(answer);

        assertThatThrownBy(() -> renewal(step -> { }).renew(SERVER, Instant.now()))
                .isInstanceOf(RenewedCertificateRejectedException.class)
                .hasMessageContaining(answer == EstTestServer.Answer.OTHER_DEVICE ? "not CN=" + TestBundles.GOOD_DEVICE
                        .canonical() : "does not certify the key");

        assertThat(state.pendingCredential(SERVER, current())).isEmpty();
        assertThat(serialSeenOnConnect()).isEqualTo(device.certificate().getSerialNumber());
    }
}

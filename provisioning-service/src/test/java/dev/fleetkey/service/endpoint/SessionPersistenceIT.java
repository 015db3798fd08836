package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.testing.DeviceBundles;

/** Resumption across a process restart: the session saved in the state directory, then resumed. */
class SessionPersistenceIT {

    private EcdheEndpointFixture fixture;

    @TempDir
    Path stateDirectory;

    @BeforeEach
    void start() throws Exception {
        fixture = new EcdheEndpointFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aRestartedClientResumesTheSavedSessionInEveryMode() throws Exception {
        for (BundlePayload bundle : List.of(fixture.pskBundle(DeviceBundles.FAST), fixture.rpkBundle(DeviceBundles.FAST),
                fixture.x509Bundle(DeviceBundles.FAST))) {
            Path state = Files.createTempDirectory(stateDirectory, "device");
            ConnectionInfo first = helloOnce(bundle, state);
            ConnectionInfo afterRestart = helloOnce(bundle, state);

            assertThat(first.resumed()).isFalse();
            assertThat(afterRestart.resumed()).as(bundle.servers().get(0).mode() + " resumed after restart").isTrue();
            assertThat(afterRestart.sessionId()).isEqualTo(first.sessionId());
        }
    }

    @Test
    void everyRestartResumesEvenWhenTheServersCloseNotifyArrivesBeforeTheSave() throws Exception {
        // Scandium saves no connection its peer has closed: the server's answer to our close_notify used to
        // race the save. Ten restarts in a row make that race show.
        for (int i = 0; i < 10; i++) {
            Path state = Files.createTempDirectory(stateDirectory, "restart");
            helloOnce(fixture.pskBundle(DeviceBundles.FAST), state);

            assertThat(helloOnce(fixture.pskBundle(DeviceBundles.FAST), state).resumed()).as("restart " + i).isTrue();
        }
    }

    @Test
    void theSavedStateDoesNotCarryTheSessionInTheClear() throws Exception {
        ConnectionInfo info = helloOnce(fixture.pskBundle(DeviceBundles.FAST), stateDirectory);

        byte[] saved = Files.readAllBytes(stateDirectory.resolve("sessions").resolve("fleetkey.dtls"));
        assertThat(saved).isNotEmpty();
        assertThat(java.util.HexFormat.of().formatHex(saved)).doesNotContain(info.sessionId());
    }

    @Test
    void stateSavedUnderAnotherDeviceKeyIsIgnoredAndAFullHandshakeFollows() throws Exception {
        helloOnce(fixture.rpkBundle(DeviceBundles.FAST), stateDirectory);
        // Same server name, another device secret (the PSK): the state key differs, so the file must not load.
        BundlePayload otherKey = fixture.pskBundle(DeviceBundles.FAST);

        ConnectionInfo info = helloOnce(otherKey, stateDirectory);

        assertThat(info.resumed()).isFalse();
    }

    @Test
    void aCorruptStateFileCostsOneFullHandshakeAndNothingElse() throws Exception {
        Path file = stateDirectory.resolve("sessions").resolve("fleetkey.dtls");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

        ConnectionInfo info = helloOnce(fixture.pskBundle(DeviceBundles.FAST), stateDirectory);

        assertThat(info.resumed()).isFalse();
    }

    private ConnectionInfo helloOnce(BundlePayload bundle, Path state) throws Exception {
        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(fixture.address()),
                SessionOptions.defaults().withStateDirectory(state))) {
            assertThat(session.get("/hello").text()).isEqualTo(TestBundles.GOOD_DEVICE.canonical());
            return session.connectionInfo().orElseThrow();
        }
    }
}

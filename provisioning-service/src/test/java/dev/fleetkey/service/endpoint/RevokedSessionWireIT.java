package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.testing.DeviceBundles;

/**
 * A revoked device in each mode, on the wire with the runtime: its saved session no longer resumes (the
 * endpoint forces a full handshake, which fails with the alert a fresh one gets), and a request on a session
 * still open when the revocation happened is answered 4.03 and ends that session.
 */
class RevokedSessionWireIT {

    @TempDir
    Path stateDirectory;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PSK, decrypt_error", "RPK, bad_certificate", "X.509, certificate_unknown"})
    void aRevokedDeviceCannotResumeItsSavedSession(String mode, String freshHandshakeAlert) throws Exception {
        try (EcdheEndpointFixture fixture = new EcdheEndpointFixture()) {
            BundlePayload bundle = bundle(mode).apply(fixture);
            Path state = Files.createTempDirectory(stateDirectory, "device");
            helloWithState(fixture, bundle, state);
            assertThat(helloWithState(fixture, bundle, state).resumed())
                    .as("resumes before the revocation").isTrue();

            fixture.directory.revoke(TestBundles.GOOD_DEVICE);

            try (SecureSession session = open(fixture, bundle, SessionOptions.defaults().withStateDirectory(state))) {
                assertThatThrownBy(() -> session.get("/hello")).isInstanceOfSatisfying(AlertReceivedException.class,
                        e -> assertThat(e.alert()).isEqualTo(freshHandshakeAlert));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PSK, decrypt_error", "RPK, bad_certificate", "X.509, certificate_unknown"})
    void aRequestOnASessionOpenAtTheRevocationIsRefusedAndTheSessionEnds(String mode, String freshHandshakeAlert)
            throws Exception {
        try (EcdheEndpointFixture fixture = new EcdheEndpointFixture();
             SecureSession session = open(fixture, bundle(mode).apply(fixture), SessionOptions.defaults())) {
            assertThat(session.get("/hello").code()).isEqualTo("2.05");

            fixture.directory.revoke(TestBundles.GOOD_DEVICE);
            CoapReply refused = session.get("/hello");

            assertThat(refused.code()).isEqualTo("4.03");
            assertThat(refused.text()).contains("revoked");
            assertThatThrownBy(() -> {
                session.reconnect();
                session.get("/hello");
            }).isInstanceOfSatisfying(AlertReceivedException.class,
                    e -> assertThat(e.alert()).isEqualTo(freshHandshakeAlert));
        }
    }

    private static Function<EcdheEndpointFixture, BundlePayload> bundle(String mode) {
        DtlsPolicy policy = DeviceBundles.FAST;
        return switch (mode) {
            case "PSK" -> fixture -> fixture.pskBundle(policy);
            case "RPK" -> fixture -> fixture.rpkBundle(policy);
            default -> fixture -> fixture.x509Bundle(policy);
        };
    }

    private static ConnectionInfo helloWithState(EcdheEndpointFixture fixture, BundlePayload bundle, Path state)
            throws Exception {
        try (SecureSession session = open(fixture, bundle, SessionOptions.defaults().withStateDirectory(state))) {
            assertThat(session.get("/hello").text()).isEqualTo(TestBundles.GOOD_DEVICE.canonical());
            return session.connectionInfo().orElseThrow();
        }
    }

    private static SecureSession open(EcdheEndpointFixture fixture, BundlePayload bundle, SessionOptions options)
            throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(fixture.address()), options);
    }
}

package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.UdpRelay;

/** The endpoint on a real UDP port, the device runtime as client: real DTLS handshakes on loopback. */
class DeviceEndpointIT {

    /** Short timers: a refused handshake must fail fast, not after the profile's 183 s. */
    private static final DtlsPolicy FAST = new DtlsPolicy(Duration.ofMillis(300), true, false);

    private final InMemoryDirectory directory = new InMemoryDirectory();
    private DeviceEndpoint endpoint;

    @BeforeEach
    void startEndpoint() throws Exception {
        directory.add(TestBundles.GOOD_DEVICE, TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK);
        endpoint = new DeviceEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), directory);
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.stop();
    }

    @Test
    void helloAnswersTheEui64OfTheAuthenticatedDevice() throws Exception {
        try (SecureSession session = SecureSession.open(bundle(TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK),
                "fleetkey", Optional.of(endpoint.boundAddress()))) {
            CoapReply reply = session.get("/hello");

            assertThat(reply.code()).isEqualTo("2.05");
            assertThat(reply.text()).isEqualTo("00-11-22-FF-FE-33-44-55");
            assertThat(session.connectionInfo()).hasValueSatisfying(info ->
                    assertThat(info.cipherSuite()).isEqualTo("TLS_PSK_WITH_AES_128_CCM_8"));
        }
    }

    @Test
    void eachDeviceIsToldItsOwnEui64() throws Exception {
        byte[] otherIdentity = "other-device".getBytes();
        byte[] otherKey = HexFormat.of().parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f");
        directory.add(TestBundles.OTHER_DEVICE, otherIdentity, otherKey);
        try (SecureSession session = SecureSession.open(bundle(otherIdentity, otherKey), "fleetkey",
                Optional.of(endpoint.boundAddress()))) {
            assertThat(session.get("/hello").text()).isEqualTo("00-11-22-FF-FE-33-44-56");
        }
    }

    @Test
    void reconnectResumesTheSessionAndStillNamesTheDevice() throws Exception {
        try (SecureSession session = SecureSession.open(bundle(TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK),
                "fleetkey", Optional.of(endpoint.boundAddress()))) {
            session.get("/hello");
            assertThat(session.connectionInfo().orElseThrow().resumed()).isFalse();

            session.reconnect();
            CoapReply again = session.get("/hello");

            assertThat(session.connectionInfo().orElseThrow().resumed()).isTrue();
            assertThat(again.text()).isEqualTo("00-11-22-FF-FE-33-44-55");
        }
    }

    @Test
    void unknownIdentityIsRefusedWithDecryptErrorNotSilence() throws Exception {
        try (SecureSession session = SecureSession.open(bundle("nobody".getBytes(), TestBundles.GOOD_PSK),
                "fleetkey", Optional.of(endpoint.boundAddress()))) {
            assertThatThrownBy(() -> session.get("/hello"))
                    .isInstanceOfSatisfying(AlertReceivedException.class,
                            e -> assertThat(e.alert()).isEqualTo("decrypt_error"));
        }
    }

    @Test
    void wrongKeyIsRefusedWithTheSameAlertAsAnUnknownIdentity() throws Exception {
        byte[] wrongKey = TestBundles.GOOD_PSK.clone();
        wrongKey[15] ^= 1;
        try (SecureSession session = SecureSession.open(bundle(TestBundles.GOOD_PSK_IDENTITY, wrongKey),
                "fleetkey", Optional.of(endpoint.boundAddress()))) {
            assertThatThrownBy(() -> session.get("/hello"))
                    .isInstanceOfSatisfying(AlertReceivedException.class,
                            e -> assertThat(e.alert()).isEqualTo("decrypt_error"))
                    .hasMessageNotContaining(HexFormat.of().formatHex(wrongKey));
        }
    }

    @Test
    void unknownIdentityAlertTravelsAsOnePlaintextFatalDecryptErrorRecord() throws Exception {
        try (UdpRelay relay = new UdpRelay(endpoint.boundAddress());
             SecureSession session = SecureSession.open(bundle("nobody".getBytes(), TestBundles.GOOD_PSK),
                     "fleetkey", Optional.of(relay.address()))) {
            assertThatThrownBy(() -> session.get("/hello")).isInstanceOf(AlertReceivedException.class);

            List<byte[]> alerts = relay.datagrams().stream().filter(d -> !d.fromClient())
                    .map(UdpRelay.Datagram::bytes).filter(b -> b[0] == 21).toList();
            assertThat(alerts).hasSize(1);
            byte[] record = alerts.get(0);
            // DTLS record header: type 21 (alert), version fe fd, epoch 0 (plaintext), ..., length 2
            assertThat(Arrays.copyOfRange(record, 1, 5)).containsExactly(0xfe, 0xfd, 0x00, 0x00);
            // alert body: level 2 (fatal), description 51 (decrypt_error), never 115 (unknown_psk_identity)
            assertThat(Arrays.copyOfRange(record, record.length - 2, record.length)).containsExactly(2, 51);
        }
    }

    @Test
    void portZeroBindsAFreePortAndStopReleasesIt() throws Exception {
        InetSocketAddress bound = endpoint.boundAddress();
        assertThat(bound.getPort()).isPositive();
        assertThat(endpoint.isRunning()).isTrue();

        endpoint.stop();

        assertThat(endpoint.isRunning()).isFalse();
        try (java.net.DatagramSocket again = new java.net.DatagramSocket(bound)) {
            assertThat(again.getLocalPort()).isEqualTo(bound.getPort());
        }
    }

    static BundlePayload bundle(byte[] identity, byte[] key) {
        ServerEntry server = new ServerEntry("fleetkey", URI.create("coaps://localhost:5684"), null, CredentialMode.PSK,
                List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(identity, key));
        Instant now = Instant.now();
        return new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.DEVICE, new byte[16], 1,
                now.minusSeconds(60), now.plus(Duration.ofDays(1)), TestBundles.GOOD_DEVICE, TestBundles.GOOD_TEMPLATE,
                List.of(server), FAST, true);
    }
}

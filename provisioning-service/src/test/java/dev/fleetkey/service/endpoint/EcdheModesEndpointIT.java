package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.UdpRelay;
import dev.fleetkey.runtime.ServerNameMismatchException;
import dev.fleetkey.runtime.UntrustedServerException;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** The runtime against the endpoint in raw-public-key and certificate mode: real UDP, real handshakes. */
class EcdheModesEndpointIT {

    private static final String ECDHE = "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8";
    private static final String DEVICE = TestBundles.GOOD_DEVICE.canonical();

    private EcdheEndpointFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new EcdheEndpointFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void rawPublicKeyDeviceIsNamedByHello() throws Exception {
        assertHelloNamesTheDevice(fixture.rpkBundle(DeviceBundles.FAST), ECDHE);
    }

    @Test
    void rawPublicKeyDeviceAcceptsAServerPinnedOnlyBySha256() throws Exception {
        assertHelloNamesTheDevice(DeviceBundles.rpkPinned("fleetkey", EcdheEndpointFixture.SERVER_URI,
                fixture.deviceKey, fixture.server.keyPair().getPublic(), DeviceBundles.FAST), ECDHE);
    }

    @Test
    void certificateDeviceIsNamedByHello() throws Exception {
        assertHelloNamesTheDevice(fixture.x509Bundle(DeviceBundles.FAST), ECDHE);
    }

    @Test
    void pskStillWorksBesideTheEcdheSuite() throws Exception {
        assertHelloNamesTheDevice(fixture.pskBundle(DeviceBundles.FAST), "TLS_PSK_WITH_AES_128_CCM_8");
    }

    @Test
    void serverKeyThatMatchesNoPinIsRefusedAsUntrusted() throws Exception {
        BundlePayload bundle = DeviceBundles.rpkPinned("fleetkey", EcdheEndpointFixture.SERVER_URI, fixture.deviceKey,
                TestCertificates.p256().getPublic(), DeviceBundles.FAST);
        try (SecureSession session = open(bundle)) {
            assertThatThrownBy(() -> session.get("/hello")).isInstanceOf(UntrustedServerException.class)
                    .hasMessageContaining("raw public key").hasMessageContaining("not one the bundle trusts");
        }
    }

    @Test
    void serverCertificateForTheWrongHostIsRefused() throws Exception {
        BundlePayload bundle = DeviceBundles.x509("fleetkey", EcdheEndpointFixture.SERVER_URI, "billing.fleetkey.test",
                fixture.deviceCertificate, fixture.deviceCa.certificate(), fixture.serverCa.certificate(),
                DeviceBundles.FAST);
        try (SecureSession session = open(bundle)) {
            assertThatThrownBy(() -> session.get("/hello")).isInstanceOfSatisfying(ServerNameMismatchException.class,
                    e -> assertThat(e.presented()).containsExactly(EcdheEndpointFixture.HOST));
        }
    }

    @Test
    void unknownRawPublicKeyIsRefusedWithBadCertificate() throws Exception {
        BundlePayload bundle = DeviceBundles.rpk("fleetkey", EcdheEndpointFixture.SERVER_URI,
                TestCertificates.p256(), fixture.server.keyPair().getPublic(), DeviceBundles.FAST);
        assertRefusedWith(bundle, "bad_certificate");
    }

    @Test
    void revokedRawPublicKeyDeviceIsRefused() throws Exception {
        fixture.directory.revoke(TestBundles.GOOD_DEVICE);
        assertRefusedWith(fixture.rpkBundle(DeviceBundles.FAST), "bad_certificate");
    }

    /**
     * The endpoint names its device CAs in the CertificateRequest, so a runtime holding a certificate from
     * another CA has none to offer and sends an empty Certificate (RFC 5246 section 7.4.6), refused with
     * {@code bad_certificate}. A client that sends its certificate anyway gets {@code unknown_ca} (EcdheWireIT).
     */
    @Test
    void deviceCertificateFromAnotherCaIsNotOfferedAndTheHandshakeIsRefused() throws Exception {
        assertRefusedWith(fixture.x509BundleFor(TestBundles.GOOD_DEVICE, TestCertificates.ca("Rogue Device CA")),
                "bad_certificate");
    }

    @Test
    void certificateOfAnUnknownDeviceIsRefused() throws Exception {
        assertRefusedWith(fixture.x509BundleFor(TestBundles.OTHER_DEVICE, fixture.deviceCa), "certificate_unknown");
    }

    @Test
    void revokedCertificateDeviceIsRefused() throws Exception {
        fixture.directory.revoke(TestBundles.GOOD_DEVICE);
        assertRefusedWith(fixture.x509Bundle(DeviceBundles.FAST), "certificate_unknown");
    }

    @Test
    void everyModeResumesOnReconnectAndStillNamesTheDevice() throws Exception {
        for (BundlePayload bundle : List.of(fixture.pskBundle(DeviceBundles.FAST), fixture.rpkBundle(DeviceBundles.FAST),
                fixture.x509Bundle(DeviceBundles.FAST))) {
            try (SecureSession session = open(bundle)) {
                session.get("/hello");
                ConnectionInfo full = session.connectionInfo().orElseThrow();
                session.reconnect();
                String again = session.get("/hello").text();
                ConnectionInfo resumed = session.connectionInfo().orElseThrow();

                assertThat(full.resumed()).isFalse();
                assertThat(resumed.resumed()).as(bundle.servers().get(0).mode() + " resumed").isTrue();
                assertThat(again).isEqualTo(DEVICE);
                assertThat(resumed.handshakeBytesSent() + resumed.handshakeBytesReceived())
                        .isLessThan(full.handshakeBytesSent() + full.handshakeBytesReceived());
            }
        }
    }

    @Test
    void sessionOlderThanTheMaximumAgeGetsAFullHandshake() throws Exception {
        try (SecureSession session = SecureSession.open(fixture.rpkBundle(DeviceBundles.FAST), "fleetkey",
                Optional.of(fixture.address()), dev.fleetkey.runtime.SessionOptions.defaults()
                        .withMaxSessionAge(Duration.ofMillis(200)))) {
            session.get("/hello");
            Thread.sleep(400); // let the session pass its (tiny) maximum age
            session.reconnect();
            assertThat(session.get("/hello").text()).isEqualTo(DEVICE);

            assertThat(session.connectionInfo().orElseThrow().resumed()).isFalse();
        }
    }

    @Test
    void connectionIdIsNegotiatedWhenTheBundlePolicyAsksForIt() throws Exception {
        DtlsPolicy withCid = new DtlsPolicy(Duration.ofMillis(300), true, true);
        try (UdpRelay relay = new UdpRelay(fixture.address());
             SecureSession session = SecureSession.open(fixture.rpkBundle(withCid), "fleetkey",
                     Optional.of(relay.address()))) {
            assertThat(session.get("/hello").text()).isEqualTo(DEVICE);

            assertThat(session.connectionInfo().orElseThrow().connectionId()).isTrue();
            // RFC 9146: after the handshake the client's records carry the server's CID as tls12_cid (25)
            assertThat(relay.datagrams()).anyMatch(d -> d.fromClient() && d.bytes()[0] == 25);
        }
    }

    @Test
    void withoutTheBundlePolicyNoConnectionIdIsUsed() throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address());
             SecureSession session = SecureSession.open(fixture.rpkBundle(DeviceBundles.FAST), "fleetkey",
                     Optional.of(relay.address()))) {
            session.get("/hello");

            assertThat(session.connectionInfo().orElseThrow().connectionId()).isFalse();
            assertThat(relay.datagrams()).noneMatch(d -> d.bytes()[0] == 25);
        }
    }

    @Test
    void certificateClientSendsTheBundleHostAsSni() throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address());
             SecureSession session = SecureSession.open(fixture.x509Bundle(DeviceBundles.FAST), "fleetkey",
                     Optional.of(relay.address()))) {
            session.get("/hello");

            byte[] clientHello = relay.datagrams().get(0).bytes();
            assertThat(new String(clientHello, StandardCharsets.ISO_8859_1)).contains(EcdheEndpointFixture.HOST);
        }
    }

    private void assertHelloNamesTheDevice(BundlePayload bundle, String suite) throws Exception {
        try (SecureSession session = open(bundle)) {
            assertThat(session.get("/hello").text()).isEqualTo(DEVICE);
            assertThat(session.connectionInfo().orElseThrow().cipherSuite()).isEqualTo(suite);
        }
    }

    private void assertRefusedWith(BundlePayload bundle, String alert) throws Exception {
        try (SecureSession session = open(bundle)) {
            assertThatThrownBy(() -> session.get("/hello")).isInstanceOfSatisfying(AlertReceivedException.class,
                    e -> assertThat(e.alert()).isEqualTo(alert));
        }
    }

    private SecureSession open(BundlePayload bundle) throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(fixture.address()));
    }
}

package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.DtlsWire;
import dev.fleetkey.runtime.testing.DtlsWire.ClientHello;
import dev.fleetkey.runtime.testing.DtlsWire.Handshake;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.OpensslExchange;
import dev.fleetkey.runtime.testing.TestCertificates;
import dev.fleetkey.runtime.testing.UdpRelay;

/**
 * RFC 7925 profile rules observed in the datagrams between the runtime and {@code openssl s_server -dtls1_2},
 * recorded by a relay: what the ClientHello offers, the cookie exchange, the PSK identity sent, resumption.
 */
class ProfileRulesOnTheWireIT {

    private static final String HOST = "coap.fleet.example.net";
    private static final URI SERVER_URI = URI.create("coaps://" + HOST + ":5684");
    private static final String IDENTITY = "device-7f3a";
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    /**
     * TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 section 3.3): not a cipher suite but the signal that the
     * client supports secure renegotiation, which RFC 5746 asks every client to send in its initial hello
     * (as this SCSV or the empty renegotiation_info extension); it offers no cipher and starts nothing.
     */
    private static final int RENEGOTIATION_INFO_SCSV = 0x00FF;

    private static TestCertificates.Issued serverCa;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static Path deviceCaPem;

    @TempDir
    static Path files;

    @BeforeAll
    static void makePki() throws Exception {
        serverCa = TestCertificates.ca("Fleet Server CA");
        deviceCa = TestCertificates.ca("Fleet Device CA");
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        deviceCaPem = TestCertificates.writePem(files.resolve("device-ca.pem"), deviceCa.certificate());
    }

    @Test
    void pskClientHelloOffersOnlyDtls12TheProfileSuiteAndNullCompression() throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(OpensslDtlsServer.start(IDENTITY, KEY), pskBundle());

        List<ClientHello> hellos = clientHellos(wire);
        assertThat(hellos).hasSize(2); // before and after the cookie exchange
        for (ClientHello hello : hellos) {
            assertThat(hello.clientVersion()).isEqualTo(DtlsWire.DTLS_1_2);
            assertThat(hello.cipherSuites()).containsExactly(0xC0A8, RENEGOTIATION_INFO_SCSV);
            assertThat(hello.compressionMethods()).containsExactly(0);
            // a PSK hello has no use for ECC extensions
            assertThat(hello.extensions()).doesNotContainKeys(DtlsWire.EXT_SUPPORTED_GROUPS,
                    DtlsWire.EXT_SIGNATURE_ALGORITHMS, DtlsWire.EXT_EC_POINT_FORMATS);
        }
        assertAllClientRecordsAreDtls12(wire);
    }

    @Test
    void x509ClientHelloOffersOnlyTheEcdheSuiteOnP256WithEcdsaSha256() throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(x509Server(), x509Bundle());

        List<ClientHello> hellos = clientHellos(wire);
        assertThat(hellos).hasSize(2);
        for (ClientHello hello : hellos) {
            assertThat(hello.clientVersion()).isEqualTo(DtlsWire.DTLS_1_2);
            assertThat(hello.cipherSuites()).containsExactly(0xC0AE, RENEGOTIATION_INFO_SCSV);
            assertThat(hello.compressionMethods()).containsExactly(0);
            assertThat(hello.supportedGroups()).containsExactly(0x0017);
            assertThat(hello.signatureAlgorithms()).containsExactly(0x0403);
            hello.ecPointFormats().ifPresent(formats -> assertThat(formats).containsExactly(0));
        }
        assertAllClientRecordsAreDtls12(wire);
    }

    @Test
    void cookieExchangeIsAnsweredWithTheServersCookie() throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(OpensslDtlsServer.start(IDENTITY, KEY), pskBundle());

        List<Handshake> client = DtlsWire.handshakes(wire, true);
        List<Handshake> server = DtlsWire.handshakes(wire, false);
        assertThat(server.get(0).type()).isEqualTo(DtlsWire.HELLO_VERIFY_REQUEST);
        byte[] cookie = DtlsWire.helloVerifyCookie(server.get(0));
        assertThat(cookie).isNotEmpty();
        assertThat(DtlsWire.clientHello(client.get(0)).cookie()).isEmpty();
        assertThat(DtlsWire.clientHello(client.get(1)).cookie()).isEqualTo(cookie);
        assertThat(server.get(1).type()).isEqualTo(DtlsWire.SERVER_HELLO);
    }

    @Test
    void pskIdentityHintIsIgnoredAndTheBundlesIdentityIsSent() throws Exception {
        OpensslDtlsServer openssl = OpensslDtlsServer.startPsk(IDENTITY, KEY, List.of("-psk_hint", "somehint"));
        List<UdpRelay.Datagram> wire = oneExchange(openssl, pskBundle());

        // openssl sends its hint in a ServerKeyExchange (RFC 4279 section 2)
        assertThat(DtlsWire.handshakes(wire, false)).anyMatch(h -> h.type() == DtlsWire.SERVER_KEY_EXCHANGE
                && new String(h.body(), StandardCharsets.ISO_8859_1).contains("somehint"));
        Handshake keyExchange = DtlsWire.handshakes(wire, true).stream()
                .filter(h -> h.type() == DtlsWire.CLIENT_KEY_EXCHANGE).findFirst().orElseThrow();
        assertThat(DtlsWire.pskIdentity(keyExchange)).isEqualTo(IDENTITY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pskReconnectOffersTheSessionIdAndRunsAnAbbreviatedHandshake() throws Exception {
        assertReconnectIsAbbreviated(OpensslDtlsServer.start(IDENTITY, KEY), pskBundle());
    }

    @Test
    void x509ReconnectOffersTheSessionIdAndSkipsCertificateAndKeyExchange() throws Exception {
        assertReconnectIsAbbreviated(x509Server(), x509Bundle());
    }

    private static void assertReconnectIsAbbreviated(OpensslDtlsServer server, BundlePayload bundle) throws Exception {
        try (OpensslDtlsServer openssl = server; UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(bundle, "fleet", Optional.of(relay.address()))) {
            OpensslExchange.get(session, openssl, "/first", true);
            byte[] sessionId = DtlsWire.serverHelloSessionId(DtlsWire.handshakes(relay.datagrams(), false).stream()
                    .filter(h -> h.type() == DtlsWire.SERVER_HELLO).findFirst().orElseThrow());
            session.reconnect();
            relay.clear();

            assertThat(OpensslExchange.get(session, openssl, "/again", true).text()).isEqualTo("echo /again");

            List<UdpRelay.Datagram> wire = relay.datagrams();
            assertThat(sessionId).isNotEmpty();
            assertThat(clientHellos(wire)).isNotEmpty()
                    .allSatisfy(hello -> assertThat(hello.sessionId()).isEqualTo(sessionId));
            List<Handshake> fromServer = DtlsWire.handshakes(wire, false);
            assertThat(fromServer).extracting(Handshake::type).contains(DtlsWire.SERVER_HELLO)
                    .doesNotContain(DtlsWire.CERTIFICATE, DtlsWire.SERVER_KEY_EXCHANGE);
            assertThat(DtlsWire.serverHelloSessionId(fromServer.stream()
                    .filter(h -> h.type() == DtlsWire.SERVER_HELLO).findFirst().orElseThrow())).isEqualTo(sessionId);
            assertThat(DtlsWire.handshakes(wire, true)).extracting(Handshake::type)
                    .doesNotContain(DtlsWire.CERTIFICATE, DtlsWire.CLIENT_KEY_EXCHANGE);
            assertThat(session.connectionInfo().orElseThrow().resumed()).isTrue();
        }
    }

    /** Runs one GET through a relay and returns what crossed the wire. */
    private static List<UdpRelay.Datagram> oneExchange(OpensslDtlsServer server, BundlePayload bundle)
            throws Exception {
        try (OpensslDtlsServer openssl = server; UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(bundle, "fleet", Optional.of(relay.address()))) {
            assertThat(OpensslExchange.get(session, openssl, "/hello", true).text()).isEqualTo("echo /hello");
            return relay.datagrams();
        }
    }

    static List<ClientHello> clientHellos(List<UdpRelay.Datagram> wire) {
        return DtlsWire.handshakes(wire, true).stream().filter(h -> h.type() == DtlsWire.CLIENT_HELLO)
                .map(DtlsWire::clientHello).toList();
    }

    /** RFC 6347 allows a DTLS 1.0 record version on a ClientHello; the runtime uses 1.2 throughout. */
    private static void assertAllClientRecordsAreDtls12(List<UdpRelay.Datagram> wire) {
        assertThat(wire.stream().filter(UdpRelay.Datagram::fromClient)
                .flatMap(d -> DtlsWire.records(d.bytes()).stream()))
                .isNotEmpty().allSatisfy(r -> assertThat(r.version()).isEqualTo(DtlsWire.DTLS_1_2));
    }

    private static BundlePayload pskBundle() {
        return DeviceBundles.psk("fleet", SERVER_URI, IDENTITY.getBytes(StandardCharsets.UTF_8), KEY.clone(),
                DeviceBundles.FAST);
    }

    private static BundlePayload x509Bundle() {
        return DeviceBundles.x509("fleet", SERVER_URI, null, device, deviceCa.certificate(), serverCa.certificate(),
                DeviceBundles.FAST);
    }

    private static OpensslDtlsServer x509Server() throws Exception {
        TestCertificates.Issued server = TestCertificates.server(HOST, serverCa);
        Path certificate = TestCertificates.writePem(files.resolve("server-cert.pem"), server.certificate());
        Path key = TestCertificates.writePem(files.resolve("server-key.pem"), server.privateKey());
        return OpensslDtlsServer.startWithCertificate(certificate, key, deviceCaPem);
    }
}

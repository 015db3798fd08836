package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.DtlsWire;
import dev.fleetkey.runtime.testing.DtlsWire.ClientHello;
import dev.fleetkey.runtime.testing.DtlsWire.Handshake;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.OpensslExchange;
import dev.fleetkey.runtime.testing.ProfilePeers;
import dev.fleetkey.runtime.testing.UdpRelay;

/**
 * RFC 7925 profile rules observed in the datagrams between the runtime and {@code openssl s_server -dtls1_2},
 * recorded by a relay: what the ClientHello offers, the cookie exchange, the PSK identity sent, resumption.
 */
class ProfileRulesOnTheWireIT {

    /**
     * TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 section 3.3): not a cipher suite but the signal that the
     * client supports secure renegotiation, which RFC 5746 asks every client to send in its initial hello
     * (as this SCSV or the empty renegotiation_info extension); it offers no cipher and starts nothing.
     */
    private static final int RENEGOTIATION_INFO_SCSV = 0x00FF;

    @TempDir
    Path files;

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void clientHelloOffersOnlyDtls12TheModesSuiteAndNullCompression(ProfilePeers mode) throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(mode, List.of());

        List<ClientHello> hellos = clientHellos(wire);
        assertThat(hellos).hasSize(2); // before and after the cookie exchange
        for (ClientHello hello : hellos) {
            assertThat(hello.clientVersion()).isEqualTo(DtlsWire.DTLS_1_2);
            assertThat(hello.cipherSuites()).containsExactly(mode.suite(), RENEGOTIATION_INFO_SCSV);
            assertThat(hello.compressionMethods()).containsExactly(0);
            if (mode == ProfilePeers.PSK) {
                // a PSK hello has no use for ECC extensions
                assertThat(hello.extensions()).doesNotContainKeys(DtlsWire.EXT_SUPPORTED_GROUPS,
                        DtlsWire.EXT_SIGNATURE_ALGORITHMS, DtlsWire.EXT_EC_POINT_FORMATS);
            } else {
                assertThat(hello.supportedGroups()).containsExactly(0x0017); // secp256r1
                assertThat(hello.signatureAlgorithms()).containsExactly(0x0403); // ecdsa_secp256r1_sha256
                hello.ecPointFormats().ifPresent(formats -> assertThat(formats).containsExactly(0)); // uncompressed
            }
        }
        // RFC 6347 allows a DTLS 1.0 record version on a ClientHello; the runtime uses 1.2 throughout
        assertThat(wire.stream().filter(UdpRelay.Datagram::fromClient)
                .flatMap(d -> DtlsWire.records(d.bytes()).stream()))
                .isNotEmpty().allSatisfy(r -> assertThat(r.version()).isEqualTo(DtlsWire.DTLS_1_2));
    }

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void cookieExchangeIsAnsweredWithTheServersCookie(ProfilePeers mode) throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(mode, List.of());

        List<Handshake> client = DtlsWire.handshakes(wire, true);
        List<Handshake> server = DtlsWire.handshakes(wire, false);
        // s_server verifies cookies for DTLS by default: no option is needed
        assertThat(server.get(0).type()).isEqualTo(DtlsWire.HELLO_VERIFY_REQUEST);
        byte[] cookie = DtlsWire.helloVerifyCookie(server.get(0));
        assertThat(cookie).isNotEmpty();
        assertThat(DtlsWire.clientHello(client.get(0)).cookie()).isEmpty();
        assertThat(DtlsWire.clientHello(client.get(1)).cookie()).isEqualTo(cookie);
        assertThat(server.get(1).type()).isEqualTo(DtlsWire.SERVER_HELLO);
    }

    @Test
    void pskIdentityHintIsIgnoredAndTheBundlesIdentityIsSent() throws Exception {
        List<UdpRelay.Datagram> wire = oneExchange(ProfilePeers.PSK, List.of("-psk_hint", "somehint"));

        // openssl sends its hint in a ServerKeyExchange (RFC 4279 section 2)
        assertThat(DtlsWire.handshakes(wire, false)).anyMatch(h -> h.type() == DtlsWire.SERVER_KEY_EXCHANGE
                && new String(h.body(), StandardCharsets.ISO_8859_1).contains("somehint"));
        Handshake keyExchange = DtlsWire.handshakes(wire, true).stream()
                .filter(h -> h.type() == DtlsWire.CLIENT_KEY_EXCHANGE).findFirst().orElseThrow();
        assertThat(DtlsWire.pskIdentity(keyExchange)).isEqualTo(ProfilePeers.IDENTITY.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void reconnectOffersTheSessionIdAndRunsAnAbbreviatedHandshake(ProfilePeers mode) throws Exception {
        try (OpensslDtlsServer openssl = mode.start(files, List.of());
             UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(mode.bundle(DeviceBundles.FAST), ProfilePeers.SERVER_NAME,
                     Optional.of(relay.address()))) {
            OpensslExchange.get(session, openssl, "/first", true);
            byte[] sessionId = serverHelloSessionId(relay.datagrams());
            session.reconnect();
            relay.clear();

            assertThat(OpensslExchange.get(session, openssl, "/again", true).text()).isEqualTo("echo /again");

            List<UdpRelay.Datagram> wire = relay.datagrams();
            assertThat(sessionId).isNotEmpty();
            assertThat(clientHellos(wire)).isNotEmpty()
                    .allSatisfy(hello -> assertThat(hello.sessionId()).isEqualTo(sessionId));
            // abbreviated (RFC 5246 section 7.3): ServerHello, then straight to ChangeCipherSpec and Finished
            assertThat(DtlsWire.handshakes(wire, false)).extracting(Handshake::type).contains(DtlsWire.SERVER_HELLO)
                    .doesNotContain(DtlsWire.CERTIFICATE, DtlsWire.SERVER_KEY_EXCHANGE);
            assertThat(serverHelloSessionId(wire)).isEqualTo(sessionId);
            assertThat(DtlsWire.handshakes(wire, true)).extracting(Handshake::type)
                    .doesNotContain(DtlsWire.CERTIFICATE, DtlsWire.CLIENT_KEY_EXCHANGE);
            assertThat(session.connectionInfo().orElseThrow().resumed()).isTrue();
        }
    }

    /** Runs one GET through a relay and returns what crossed the wire. */
    private List<UdpRelay.Datagram> oneExchange(ProfilePeers mode, List<String> opensslOptions) throws Exception {
        try (OpensslDtlsServer openssl = mode.start(files, opensslOptions);
             UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(mode.bundle(DeviceBundles.FAST), ProfilePeers.SERVER_NAME,
                     Optional.of(relay.address()))) {
            assertThat(OpensslExchange.get(session, openssl, "/hello", true).text()).isEqualTo("echo /hello");
            return relay.datagrams();
        }
    }

    private static List<ClientHello> clientHellos(List<UdpRelay.Datagram> wire) {
        return DtlsWire.handshakes(wire, true).stream().filter(h -> h.type() == DtlsWire.CLIENT_HELLO)
                .map(DtlsWire::clientHello).toList();
    }

    private static byte[] serverHelloSessionId(List<UdpRelay.Datagram> wire) {
        return DtlsWire.serverHelloSessionId(DtlsWire.handshakes(wire, false).stream()
                .filter(h -> h.type() == DtlsWire.SERVER_HELLO).findFirst().orElseThrow());
    }
}

package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.DtlsWire;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.OpensslExchange;
import dev.fleetkey.runtime.testing.ProfilePeers;
import dev.fleetkey.runtime.testing.UdpRelay;

/**
 * RFC 7925 sections 11 and 13 on the wire against {@code openssl s_server -dtls1_2}: the client never
 * renegotiates and refuses the server's request, and retransmits a lost flight with a doubling timer.
 */
class ProfileRulesRenegotiationAndRetransmissionIT {

    @TempDir
    Path files;

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void clientNeverStartsAnotherHandshakeDuringASession(ProfilePeers mode) throws Exception {
        try (OpensslDtlsServer openssl = mode.start(files, List.of());
             UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(mode.bundle(DeviceBundles.FAST), ProfilePeers.SERVER_NAME,
                     Optional.of(relay.address()))) {
            for (int i = 0; i < 4; i++) {
                assertThat(OpensslExchange.get(session, openssl, "/r" + i, i == 0).text()).isEqualTo("echo /r" + i);
            }

            List<UdpRelay.Datagram> fromClient = relay.datagrams().stream().filter(UdpRelay.Datagram::fromClient)
                    .toList();
            int firstData = firstIndexWith(fromClient, DtlsWire.APPLICATION_DATA);
            List<DtlsWire.Record> afterHandshake = fromClient.subList(firstData, fromClient.size()).stream()
                    .flatMap(d -> DtlsWire.records(d.bytes()).stream()).toList();
            assertThat(afterHandshake).filteredOn(r -> r.contentType() == DtlsWire.APPLICATION_DATA).hasSize(4);
            // epoch 0 carries a new ClientHello; an encrypted handshake record would be a renegotiation
            assertThat(afterHandshake).allSatisfy(r -> {
                assertThat(r.epoch()).isEqualTo(1);
                assertThat(r.contentType()).isNotEqualTo(DtlsWire.HANDSHAKE);
            });
            // the two hellos of the cookie exchange, and none later
            assertThat(DtlsWire.handshakes(relay.datagrams(), true))
                    .filteredOn(h -> h.type() == DtlsWire.CLIENT_HELLO).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void serverRenegotiationRequestIsRefusedWithNoRenegotiation(ProfilePeers mode) throws Exception {
        Path messages = files.resolve("openssl-msg.txt");
        try (OpensslDtlsServer openssl = mode.start(files, List.of("-msg", "-msgfile", messages.toString()));
             UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(mode.bundle(DeviceBundles.FAST), ProfilePeers.SERVER_NAME,
                     Optional.of(relay.address()))) {
            OpensslExchange.get(session, openssl, "/before", true);
            relay.clear();

            openssl.send("r\n".getBytes(StandardCharsets.US_ASCII)); // s_server: SSL_renegotiate + SSL_do_handshake
            openssl.awaitOutputLine("SSL_do_handshake", Duration.ofSeconds(10));
            // openssl 3.0's -msg names no DTLS 1.2 record ("unknown version") but dumps its bytes:
            // a received (<<<) alert record, body 01 64 = warning (1), no_renegotiation (100)
            String log = awaitFileMatching(messages, "<<< [^\n]*content_type=21\\) \\[length 0002\\]\\s+01 64",
                    Duration.ofSeconds(10));

            // the HelloRequest openssl sent (>>>): handshake type 0, empty body, in an epoch-1 record
            assertThat(log).containsPattern(">>> [^\n]*content_type=22\\) \\[length 000c\\]\\s+00 00 00 00");
            assertThat(relay.datagrams()).filteredOn(d -> !d.fromClient()).anyMatch(d -> DtlsWire.records(d.bytes())
                    .stream().anyMatch(r -> r.contentType() == DtlsWire.HANDSHAKE && r.epoch() == 1));
            // the runtime's answer: an encrypted alert, and no ClientHello or other handshake record
            List<DtlsWire.Record> answer = relay.datagrams().stream().filter(UdpRelay.Datagram::fromClient)
                    .flatMap(d -> DtlsWire.records(d.bytes()).stream()).toList();
            assertThat(answer).anyMatch(r -> r.contentType() == DtlsWire.ALERT && r.epoch() == 1)
                    .noneMatch(r -> r.contentType() == DtlsWire.HANDSHAKE);

            // openssl ends the connection on a refused renegotiation (fatal handshake_failure, 02 28); the
            // runtime recovers with a new handshake on the next request
            awaitFileMatching(messages, ">>> [^\n]*content_type=21\\) \\[length 0002\\]\\s+02 28",
                    Duration.ofSeconds(10));
            assertThat(OpensslExchange.get(session, openssl, "/after", true).text()).isEqualTo("echo /after");
        }
    }

    @ParameterizedTest
    @EnumSource(ProfilePeers.class)
    void lostClientHelloIsRetransmittedAfterTheBundlesTimerThenWithTheTimerDoubled(ProfilePeers mode)
            throws Exception {
        Duration timer = Duration.ofMillis(300);
        try (OpensslDtlsServer openssl = mode.start(files, List.of());
             UdpRelay relay = new UdpRelay(openssl.address());
             SecureSession session = SecureSession.open(mode.bundle(new DtlsPolicy(timer, true, false)),
                     ProfilePeers.SERVER_NAME, Optional.of(relay.address()))) {
            relay.dropFromClient(DtlsWire::carriesClientHello, 2);

            assertThat(OpensslExchange.get(session, openssl, "/late", true).text()).isEqualTo("echo /late");

            List<UdpRelay.Datagram> hellos = relay.datagrams().stream()
                    .filter(d -> d.fromClient() && DtlsWire.carriesClientHello(d.bytes())).toList();
            assertThat(hellos).hasSizeGreaterThanOrEqualTo(3);
            assertThat(hellos.subList(0, 2)).allMatch(UdpRelay.Datagram::dropped);
            // the same (cookie-less) ClientHello each time: a retransmission, not a new handshake
            assertThat(DtlsWire.records(hellos.get(2).bytes()).get(0).fragment())
                    .isEqualTo(DtlsWire.records(hellos.get(0).bytes()).get(0).fragment());
            long first = millisBetween(hellos.get(0), hellos.get(1));
            long second = millisBetween(hellos.get(1), hellos.get(2));
            // a shared machine may delay a timer but never fire it early: no upper bounds, generous ratios
            assertThat(first).as("first retransmission after %d ms", first)
                    .isGreaterThanOrEqualTo(timer.toMillis() * 8 / 10);
            assertThat((double) second).as("back-off: %d ms then %d ms", first, second)
                    .isGreaterThanOrEqualTo(1.5 * first);
        }
    }

    private static long millisBetween(UdpRelay.Datagram earlier, UdpRelay.Datagram later) {
        return (later.receivedNanos() - earlier.receivedNanos()) / 1_000_000;
    }

    private static int firstIndexWith(List<UdpRelay.Datagram> datagrams, int contentType) {
        for (int i = 0; i < datagrams.size(); i++) {
            if (DtlsWire.records(datagrams.get(i).bytes()).stream().anyMatch(r -> r.contentType() == contentType)) {
                return i;
            }
        }
        throw new AssertionError("no record of type " + contentType + " from the client");
    }

    private static String awaitFileMatching(Path file, String regex, Duration timeout) throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            if (pattern.matcher(content).find()) {
                return content;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("openssl logged nothing matching '" + regex + "' within " + timeout + ":\n" + content);
    }
}

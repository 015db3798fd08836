package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.DtlsWire;
import dev.fleetkey.runtime.testing.UdpRelay;

/** What crosses the wire between the endpoint and independent or own clients. */
class DeviceEndpointWireIT {

    private static final String IDENTITY = "wire-device";
    private static final byte[] KEY = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

    private final InMemoryDirectory directory = new InMemoryDirectory();
    private DeviceEndpoint endpoint;

    @BeforeEach
    void startEndpoint() throws Exception {
        directory.add(TestBundles.GOOD_DEVICE, IDENTITY.getBytes(StandardCharsets.US_ASCII), KEY);
        endpoint = new DeviceEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), directory);
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.stop();
    }

    @Test
    void opensslClientCompletesAPskHandshakeWithTheEndpoint() throws Exception {
        String output = opensslClient(IDENTITY, HexFormat.of().formatHex(KEY));

        assertThat(output).contains("CONNECTION ESTABLISHED").contains("Ciphersuite: PSK-AES128-CCM8")
                .contains("Protocol version: DTLSv1.2");
    }

    @Test
    void opensslClientWithAnUnknownIdentityReceivesDecryptError() throws Exception {
        String output = opensslClient("stranger", HexFormat.of().formatHex(KEY));

        assertThat(output).contains("alert decrypt error").doesNotContain("CONNECTION ESTABLISHED")
                .doesNotContain("unknown psk identity");
    }

    @Test
    void pskHandshakeStartsWithACookieExchange() throws Exception {
        try (UdpRelay relay = new UdpRelay(endpoint.boundAddress());
             SecureSession session = SecureSession.open(DeviceEndpointIT.bundle(
                     IDENTITY.getBytes(StandardCharsets.US_ASCII), KEY), "fleetkey", Optional.of(relay.address()))) {
            session.get("/hello");

            List<DtlsWire.Handshake> fromServer = DtlsWire.handshakes(relay.datagrams(), false);
            List<DtlsWire.Handshake> fromClient = DtlsWire.handshakes(relay.datagrams(), true);
            assertThat(fromServer.get(0).type()).as("the endpoint's first answer").isEqualTo(DtlsWire.HELLO_VERIFY_REQUEST);
            byte[] cookie = DtlsWire.helloVerifyCookie(fromServer.get(0));
            assertThat(cookie).isNotEmpty();
            assertThat(DtlsWire.clientHello(fromClient.get(0)).cookie()).isEmpty();
            assertThat(DtlsWire.clientHello(fromClient.get(1)).cookie()).isEqualTo(cookie);
        }
    }

    @Test
    void resumedHandshakeCostsFewerBytesThanTheFullOne() throws Exception {
        try (UdpRelay relay = new UdpRelay(endpoint.boundAddress());
             SecureSession session = SecureSession.open(DeviceEndpointIT.bundle(
                     IDENTITY.getBytes(StandardCharsets.US_ASCII), KEY), "fleetkey", Optional.of(relay.address()))) {
            session.get("/hello");
            int full = handshakeBytes(relay.datagrams());
            relay.clear();
            session.reconnect();
            session.get("/hello");
            int resumed = handshakeBytes(relay.datagrams());

            System.out.printf("PSK handshake bytes (UDP payload, both directions, Scandium client -> endpoint, "
                    + "cookie exchange included): full %d, resumed %d%n", full, resumed);
            assertThat(session.connectionInfo().orElseThrow().resumed()).isTrue();
            assertThat(resumed).isLessThan(full);
        }
    }

    /** Handshake and CCS records only (content types 22, 20); the alert of a close and CoAP data excluded. */
    private static int handshakeBytes(List<UdpRelay.Datagram> datagrams) {
        int total = 0;
        for (UdpRelay.Datagram d : datagrams) {
            byte[] b = d.bytes();
            int at = 0;
            while (at + 13 <= b.length) {
                int type = b[at] & 0xFF;
                int length = ((b[at + 11] & 0xFF) << 8) | (b[at + 12] & 0xFF);
                if (type == 22 || type == 20) {
                    total += 13 + length;
                }
                at += 13 + length;
            }
        }
        return total;
    }

    private String opensslClient(String identity, String hexKey) throws IOException, InterruptedException {
        InetSocketAddress server = endpoint.boundAddress();
        Process process = new ProcessBuilder("/usr/bin/openssl", "s_client", "-dtls1_2", "-brief",
                "-connect", "127.0.0.1:" + server.getPort(), "-psk_identity", identity, "-psk", hexKey,
                "-cipher", "PSK-AES128-CCM8", "-timeout")
                .redirectErrorStream(true).start();
        process.getOutputStream().close(); // EOF on stdin: quit after the handshake
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

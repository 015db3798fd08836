package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.UdpRelay;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/**
 * Handshake bytes on the wire (UDP payload of the handshake and change_cipher_spec records, both
 * directions, cookie exchange included) for each mode, full and resumed, against one endpoint (sending its
 * leaf certificate only): the runtime, Scandium with its defaults, {@code openssl s_client} and
 * {@code gnutls-cli}. Prints the table; asserts only that the runtime's own counters agree with the relay
 * and that it sends no more than the stock clients (no timing anywhere).
 */
class HandshakeBytesIT {

    /**
     * Scandium's server may skip the cookie exchange on a resumption (RFC 6347 section 4.2.1 allows it,
     * depending on how many handshakes are pending), so the Scandium clients take the least of three.
     */
    private static final int RESUMPTIONS = 3;

    private EcdheEndpointFixture fixture;
    private final Map<String, long[]> table = new LinkedHashMap<>();

    @TempDir
    Path files;

    @BeforeEach
    void start() throws Exception {
        fixture = new EcdheEndpointFixture(false);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void runtimeSpendsNoMoreHandshakeBytesThanStockScandiumOpensslOrGnutls() throws Exception {
        Path deviceCert = TestCertificates.writePem(files.resolve("device.pem"), fixture.deviceCertificate.certificate(),
                fixture.deviceCa.certificate());
        Path deviceCertKey = TestCertificates.writeKeyPem(files.resolve("device-key.pem"),
                fixture.deviceCertificate.keyPair());
        Path rpkKey = TestCertificates.writeKeyPem(files.resolve("rpk-key.pem"), fixture.deviceKey);
        Path rpk = TestCertificates.writePem(files.resolve("rpk.pem"), subjectPublicKeyInfo());
        Path serverCa = TestCertificates.writePem(files.resolve("server-ca.pem"), fixture.serverCa.certificate());
        String hexKey = HexFormat.of().formatHex(EcdheEndpointFixture.PSK);
        String identity = new String(EcdheEndpointFixture.PSK_IDENTITY, StandardCharsets.US_ASCII);

        stock("PSK", relay -> StockScandiumClient.psk(relay, EcdheEndpointFixture.PSK_IDENTITY, EcdheEndpointFixture.PSK));
        stock("RPK", relay -> StockScandiumClient.rawKey(relay, fixture.deviceKey));
        stock("X.509", relay -> StockScandiumClient.certificate(relay, fixture.deviceCertificate.privateKey(),
                List.of(fixture.deviceCertificate.certificate(), fixture.deviceCa.certificate())));
        runtime("PSK", fixture.pskBundle(DeviceBundles.FAST));
        runtime("RPK", fixture.rpkBundle(DeviceBundles.FAST));
        runtime("X.509", fixture.x509Bundle(DeviceBundles.FAST));

        openssl("PSK", List.of("-psk_identity", identity, "-psk", hexKey, "-cipher", "PSK-AES128-CCM8"));
        openssl("X.509", List.of("-cert", deviceCert.toString(), "-key", deviceCertKey.toString(),
                "-CAfile", serverCa.toString(), "-servername", EcdheEndpointFixture.HOST, "-verify_hostname",
                EcdheEndpointFixture.HOST, "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-groups", "P-256",
                "-sigalgs", "ECDSA+SHA256"));

        String common = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:";
        String ecdhe = common + "+ECDHE-ECDSA:-GROUP-ALL:+GROUP-SECP256R1:-SIGN-ALL:+SIGN-ECDSA-SHA256";
        gnutls("PSK", List.of("--priority=" + common + "+PSK", "--pskusername=" + identity, "--pskkey=" + hexKey));
        gnutls("RPK", List.of("--priority=" + ecdhe + ":-CTYPE-ALL:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK",
                "--rawpkkeyfile=" + rpkKey, "--rawpkfile=" + rpk, "--insecure"));
        gnutls("X.509", List.of("--priority=" + ecdhe, "--x509certfile=" + deviceCert, "--x509keyfile=" + deviceCertKey,
                "--x509cafile=" + serverCa, "--sni-hostname=" + EcdheEndpointFixture.HOST,
                "--verify-hostname=" + EcdheEndpointFixture.HOST));

        StringBuilder out = new StringBuilder(String.format("%nHandshake bytes against the Fleetkey endpoint "
                + "(UDP payload, both directions, cookie exchange included; server sends its leaf only)%n"
                + "%-6s %-16s %8s %8s%n", "mode", "client", "full", "resumed"));
        table.forEach((key, bytes) -> out.append(String.format("%-6s %-16s %8s %8s%n", key.split("/")[0],
                key.split("/")[1], bytes[0] < 0 ? "n/a" : bytes[0], bytes[1] < 0 ? "n/a" : bytes[1])));
        System.out.println(out);

        for (String mode : List.of("PSK", "RPK", "X.509")) {
            long[] ours = table.get(mode + "/fleetkey-runtime");
            // The profile makes a certificate client send SNI, which stock Scandium leaves out: allow exactly
            // that extension, once in each of the two ClientHellos of the cookie exchange.
            long sni = mode.equals("X.509") ? 2 * (9 + EcdheEndpointFixture.HOST.length()) : 0;
            long[] stock = table.get(mode + "/stock Scandium");
            assertThat(ours[0]).as(mode + " full vs stock Scandium").isLessThanOrEqualTo(stock[0] + sni);
            assertThat(ours[1]).as(mode + " resumed vs stock Scandium").isLessThanOrEqualTo(stock[1] + sni);
            for (String other : List.of("openssl s_client", "gnutls-cli")) {
                long[] theirs = table.get(mode + "/" + other);
                if (theirs != null && theirs[0] > 0) {
                    assertThat(ours[0]).as(mode + " full vs " + other).isLessThanOrEqualTo(theirs[0]);
                }
                if (theirs != null && theirs[1] > 0) {
                    assertThat(ours[1]).as(mode + " resumed vs " + other).isLessThanOrEqualTo(theirs[1]);
                }
            }
        }
    }

    /** Opens a stock client towards the given address. */
    private interface StockClientFactory {
        StockScandiumClient open(java.net.InetSocketAddress address) throws Exception;
    }

    private void stock(String mode, StockClientFactory factory) throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address());
             StockScandiumClient client = factory.open(relay.address())) {
            client.handshake();
            awaitApplicationData(relay);
            long full = handshakeBytes(relay.datagrams());
            long resumed = Long.MAX_VALUE;
            for (int i = 0; i < RESUMPTIONS; i++) {
                client.closeConnection();
                relay.clear();
                client.handshake();
                awaitApplicationData(relay);
                resumed = Math.min(resumed, handshakeBytes(relay.datagrams()));
            }
            table.put(mode + "/stock Scandium", new long[] {full, resumed});
        }
    }

    /** The stock client's one datagram of data follows its last flight: once relayed, the count is complete. */
    private static void awaitApplicationData(UdpRelay relay) throws InterruptedException {
        assertThat(relay.await(d -> d.fromClient() && d.bytes()[0] == 23, java.time.Duration.ofSeconds(5))).isTrue();
    }

    private Object subjectPublicKeyInfo() {
        return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(fixture.deviceKey.getPublic().getEncoded());
    }

    private void runtime(String mode, BundlePayload bundle) throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address());
             SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(relay.address()))) {
            session.get("/hello");
            ConnectionInfo full = session.connectionInfo().orElseThrow();
            long fullOnWire = handshakeBytes(relay.datagrams());
            // the runtime's own counters (what --verbose prints) see exactly what crossed the relay
            assertThat(full.handshakeBytesSent() + full.handshakeBytesReceived()).isEqualTo(fullOnWire);
            long resumedOnWire = Long.MAX_VALUE;
            for (int i = 0; i < RESUMPTIONS; i++) {
                relay.clear();
                session.reconnect();
                session.get("/hello");
                ConnectionInfo resumed = session.connectionInfo().orElseThrow();
                long onWire = handshakeBytes(relay.datagrams());
                assertThat(resumed.resumed()).isTrue();
                assertThat(resumed.handshakeBytesSent() + resumed.handshakeBytesReceived()).isEqualTo(onWire);
                resumedOnWire = Math.min(resumedOnWire, onWire);
            }
            table.put(mode + "/fleetkey-runtime", new long[] {fullOnWire, resumedOnWire});
        }
    }

    private void openssl(String mode, List<String> arguments) throws Exception {
        Path session = files.resolve("openssl-" + mode + ".session");
        long full;
        long resumed;
        try (UdpRelay relay = new UdpRelay(fixture.address())) {
            String output = run(opensslCommand(relay, arguments, "-sess_out", session));
            assertThat(output).contains("New, TLSv1.2, Cipher is");
            full = handshakeBytes(relay.datagrams());
        }
        try (UdpRelay relay = new UdpRelay(fixture.address())) {
            String output = run(opensslCommand(relay, arguments, "-sess_in", session));
            resumed = output.contains("Reused, TLSv1.2") ? handshakeBytes(relay.datagrams()) : -1;
            if (resumed < 0) {
                System.out.println("openssl " + mode + " did not resume:\n" + output);
            }
        }
        table.put(mode + "/openssl s_client", new long[] {full, resumed});
    }

    private static List<String> opensslCommand(UdpRelay relay, List<String> arguments, String sessionOption,
                                               Path session) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-dtls1_2",
                "-connect", "127.0.0.1:" + relay.address().getPort(), sessionOption, session.toString()));
        command.addAll(arguments);
        return command;
    }

    private void gnutls(String mode, List<String> arguments) throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address())) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/gnutls-cli", "--udp", "--resume",
                    "--port=" + relay.address().getPort()));
            command.addAll(arguments);
            command.add("127.0.0.1");
            String output = run(command);
            List<UdpRelay.Datagram> datagrams = relay.datagrams();
            int firstPort = datagrams.isEmpty() ? 0 : datagrams.get(0).clientPort();
            long full = handshakeBytes(datagrams.stream().filter(d -> d.clientPort() == firstPort).toList());
            long resumed = output.contains("This is a resumed session")
                    ? handshakeBytes(datagrams.stream().filter(d -> d.clientPort() != firstPort).toList()) : -1;
            table.put(mode + "/gnutls-cli", new long[] {output.contains("Handshake was completed") ? full : -1,
                    resumed});
            if (resumed < 0) {
                System.out.println("gnutls-cli " + mode + " did not complete and resume:\n" + output);
            }
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // EOF on stdin: quit after the handshake
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static long handshakeBytes(List<UdpRelay.Datagram> datagrams) {
        return UdpRelay.handshakeBytes(datagrams);
    }
}

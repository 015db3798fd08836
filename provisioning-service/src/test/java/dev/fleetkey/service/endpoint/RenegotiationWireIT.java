package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's renegotiation attempt, on the wire: answered at once with a {@code no_renegotiation} alert, so
 * the client gives up instead of retransmitting its ClientHello until it times out. Each client gets at
 * most {@link #EXIT_SECONDS} to finish, about one DTLS retransmission timer of openssl and gnutls doubled.
 */
class RenegotiationWireIT {

    private static final int EXIT_SECONDS = 8;

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
    void opensslRenegotiatingRightAfterTheHandshakeGetsNoRenegotiation() throws Exception {
        Client openssl = opensslTyping("R\n");

        assertThat(openssl.exited()).as("openssl gave up by itself; output:%n%s", openssl.output()).isTrue();
        assertThat(openssl.output()).contains("RENEGOTIATING").contains("no renegotiation")
                .doesNotContain("TIMEOUT occurred");
    }

    @Test
    void opensslRenegotiatingAfterSendingDataGetsNoRenegotiationEveryTime() throws Exception {
        // application data first: Scandium then counts the handshake as complete, another path than above
        for (int attempt = 0; attempt < 2; attempt++) {
            Client openssl = opensslTyping("not coap\n", "R\n");

            assertThat(openssl.exited()).as("attempt %d; output:%n%s", attempt, openssl.output()).isTrue();
            assertThat(openssl.output()).contains("no renegotiation").doesNotContain("TIMEOUT occurred");
        }
    }

    /** gnutls-cli takes the warning as non-fatal and tries again at once: refused each time. */
    @Test
    void gnutlsRehandshakeIsRefusedEachTimeItTries() throws Exception {
        Client gnutls = run(List.of("/usr/bin/gnutls-cli", "--udp", "--rehandshake", "--port",
                String.valueOf(fixture.address().getPort()), "--priority",
                "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+PSK",
                "--pskusername=" + new String(EcdheEndpointFixture.PSK_IDENTITY, StandardCharsets.US_ASCII),
                "--pskkey=" + HexFormat.of().formatHex(EcdheEndpointFixture.PSK), "127.0.0.1"), List.of());

        assertThat(gnutls.output()).contains("safe renegotiation").doesNotContainIgnoringCase("rehandshake was completed");
        assertThat(gnutls.output().split("A TLS warning alert has been received", -1).length - 1)
                .as("warnings answering repeated rehandshakes; output:%n%s", gnutls.output()).isGreaterThanOrEqualTo(2);
    }

    /** openssl s_client, typing each of {@code lines} once the handshake is done. */
    private Client opensslTyping(String... lines) throws IOException, InterruptedException {
        return run(List.of("/usr/bin/openssl", "s_client", "-dtls1_2", "-brief",
                "-connect", "127.0.0.1:" + fixture.address().getPort(),
                "-psk_identity", new String(EcdheEndpointFixture.PSK_IDENTITY, StandardCharsets.US_ASCII),
                "-psk", HexFormat.of().formatHex(EcdheEndpointFixture.PSK), "-cipher", "PSK-AES128-CCM8",
                "-timeout"), List.of(lines));
    }

    private record Client(boolean exited, String output) {
    }

    private static Client run(List<String> command, List<String> lines) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output));
        reader.start();
        try {
            OutputStream stdin = process.getOutputStream();
            if (!lines.isEmpty()) {
                long established = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_SECONDS);
                while (!text(output).contains("CONNECTION ESTABLISHED") && System.nanoTime() < established) {
                    Thread.sleep(20);
                }
                for (String line : lines) {
                    stdin.write(line.getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                    Thread.sleep(200);
                }
            }
            boolean exited = process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            return new Client(exited, text(output));
        } finally {
            process.destroyForcibly();
            reader.join(2000);
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}

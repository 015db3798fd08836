package dev.fleetkey.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openssl s_server -dtls1_2} in PSK or certificate mode on a free loopback UDP port, as an independent
 * peer. openssl knows no CoAP: the test reads the decrypted request from the server's stdout with
 * {@link #awaitApplicationData(Duration)} and writes a response through {@link #send(byte[])}, which
 * openssl encrypts into one record.
 */
public final class OpensslDtlsServer implements AutoCloseable {

    public static final String OPENSSL = "/usr/bin/openssl";

    private final Process process;
    private final InetSocketAddress address;
    private final InputStream stdout;
    private final StringBuilder transcript = new StringBuilder();

    private OpensslDtlsServer(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
        this.stdout = process.getInputStream();
    }

    /** Starts openssl expecting {@code identity} with {@code key}, only {@code PSK-AES128-CCM8}. */
    public static OpensslDtlsServer start(String identity, byte[] key) throws IOException {
        return startPsk(identity, key, List.of());
    }

    /** As {@link #start(String, byte[])}, with more s_server options, e.g. {@code -psk_hint} or {@code -msgfile}. */
    public static OpensslDtlsServer startPsk(String identity, byte[] key, List<String> moreArguments)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-nocert", "-psk", HexFormat.of().formatHex(key),
                "-psk_identity", identity, "-cipher", "PSK-AES128-CCM8"));
        arguments.addAll(moreArguments);
        return start(arguments);
    }

    /**
     * Starts openssl with a certificate, only {@code ECDHE-ECDSA-AES128-CCM8} on P-256, requiring a client
     * certificate that chains to {@code clientCaPem}.
     *
     * @param certificatePem the server's leaf
     * @param keyPem         its private key
     * @param clientCaPem    the device issuing CA
     */
    public static OpensslDtlsServer startWithCertificate(Path certificatePem, Path keyPem, Path clientCaPem)
            throws IOException {
        return startWithCertificate(certificatePem, keyPem, clientCaPem, List.of());
    }

    /** As {@link #startWithCertificate(Path, Path, Path)}, with more s_server options. */
    public static OpensslDtlsServer startWithCertificate(Path certificatePem, Path keyPem, Path clientCaPem,
                                                         List<String> moreArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-cert", certificatePem.toString(), "-key", keyPem.toString(),
                "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-groups", "P-256", "-sigalgs", "ECDSA+SHA256",
                "-Verify", "2", "-CAfile", clientCaPem.toString()));
        arguments.addAll(moreArguments);
        return start(arguments);
    }

    private static OpensslDtlsServer start(List<String> modeArguments) throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(OPENSSL, "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port));
        command.addAll(modeArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        OpensslDtlsServer server = new OpensslDtlsServer(builder.start(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server.awaitLine("ACCEPT", Duration.ofSeconds(10));
        return server;
    }

    /** The loopback address openssl listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** What openssl printed so far (text lines only). */
    public String transcript() {
        return transcript.toString();
    }

    /**
     * Waits for a completed handshake and returns the first decrypted datagram the client sent.
     * openssl prints its connection summary, ending with the renegotiation line, then the raw data.
     */
    public byte[] awaitApplicationData(Duration timeout) throws IOException {
        awaitLine("Secure Renegotiation", timeout);
        byte[] buffer = new byte[2048];
        int read = stdout.read(buffer);
        if (read <= 0) {
            throw new IOException("openssl ended before application data arrived: " + transcript);
        }
        byte[] data = new byte[read];
        System.arraycopy(buffer, 0, data, 0, read);
        return data;
    }

    /**
     * Returns the next decrypted datagram of an established session (for the second and later requests;
     * openssl prints nothing before it).
     */
    public byte[] awaitMoreApplicationData(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stdout.available() == 0) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("no application data from openssl within " + timeout + ": " + transcript);
            }
            sleepBriefly();
        }
        byte[] buffer = new byte[2048];
        int read = stdout.read(buffer);
        return java.util.Arrays.copyOf(buffer, Math.max(read, 0));
    }

    /** Waits for a text line of openssl's starting with {@code prefix}, e.g. after a stdin command. */
    public void awaitOutputLine(String prefix, Duration timeout) throws IOException {
        awaitLine(prefix, timeout);
    }

    /** Hands {@code data} to openssl, which sends it to the client as one record. */
    public void send(byte[] data) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write(data);
        stdin.flush();
    }

    private void awaitLine(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (System.nanoTime() < deadline) {
            if (stdout.available() == 0) {
                if (!process.isAlive()) {
                    throw new IOException("openssl exited: " + transcript);
                }
                sleepBriefly();
                continue;
            }
            int b = stdout.read();
            if (b < 0) {
                throw new IOException("openssl closed its output: " + transcript);
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            transcript.append(text).append('\n');
            line.reset();
            if (text.startsWith(prefix)) {
                return;
            }
        }
        throw new IOException("openssl printed no '" + prefix + "' within " + timeout + ": " + transcript);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

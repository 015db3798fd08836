package dev.fleetkey.service.est;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * libcoap's {@code coap-client-gnutls} (Debian libcoap3-bin), an EST-coaps client that shares no code with the
 * service: DTLS 1.2 by GnuTLS, CoAP and block-wise transfer by libcoap.
 */
final class CoapClientGnutls {

    private static final String BINARY = "/usr/bin/coap-client-gnutls";

    /** What it printed (stdout and stderr) and how it exited. */
    record Result(int exitCode, String output) {
    }

    private CoapClientGnutls() {
    }

    /**
     * Runs a request with a client certificate, trusting {@code trustedRoots} for the server; gives up after 20 s
     * of silence ({@code -B}), so a refused handshake ends the run.
     */
    static Result run(Path dir, Path certificate, Path key, Path trustedRoots, String... arguments) {
        List<String> command = new ArrayList<>(List.of(BINARY, "-B", "20", "-c", certificate.toString(),
                "-j", key.toString(), "-R", trustedRoots.toString()));
        command.addAll(Arrays.asList(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("coap-client-gnutls did not finish: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + BINARY + " (is libcoap3-bin installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

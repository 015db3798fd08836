package dev.fleetkey.service.est;

import dev.fleetkey.service.ExternalCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * libcoap's {@code coap-client-gnutls} (Debian libcoap3-bin), an EST-coaps client that shares no code with the
 * service: DTLS 1.2 by GnuTLS, CoAP and block-wise transfer by libcoap.
 */
final class CoapClientGnutls {

    private static final String BINARY = "/usr/bin/coap-client-gnutls";

    private CoapClientGnutls() {
    }

    /**
     * Runs a request with a client certificate, trusting {@code trustedRoots} for the server; gives up after 20 s
     * of silence ({@code -B}), so a refused handshake ends the run.
     */
    static ExternalCommand.Result run(Path dir, Path certificate, Path key, Path trustedRoots, String... arguments) {
        List<String> command = new ArrayList<>(List.of(BINARY, "-B", "20", "-c", certificate.toString(),
                "-j", key.toString(), "-R", trustedRoots.toString()));
        command.addAll(Arrays.asList(arguments));
        return ExternalCommand.run(dir, command, "is libcoap3-bin installed?");
    }
}

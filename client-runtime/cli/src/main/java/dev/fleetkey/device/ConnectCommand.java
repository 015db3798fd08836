package dev.fleetkey.device;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.ServerConfigurationException;
import dev.fleetkey.runtime.UnknownServerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "connect", description = "Verify the device bundle, run a DTLS 1.2 handshake with one of its servers, "
        + "send one CoAP GET and print the answer.")
final class ConnectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the device's signed bundle")
    private Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "the server's name in the bundle")
    private String server;

    @Option(names = "--address", paramLabel = "HOST:PORT",
            description = "dial this address instead of the server URI's (the server is still authenticated)")
    private String address;

    @Option(names = "--path", defaultValue = "/hello", paramLabel = "PATH", description = "CoAP path (default: ${DEFAULT-VALUE})")
    private String path;

    @Option(names = "--verbose", description = "also print the negotiated cipher suite and whether the session was resumed")
    private boolean verbose;

    @Override
    public Integer call() {
        Optional<InetSocketAddress> override = Optional.empty();
        if (address != null) {
            override = parseAddress(address);
            if (override.isEmpty()) {
                return fail(FleetkeyDevice.USAGE, "--address '" + address
                        + "' is not a resolvable HOST:PORT (e.g. 127.0.0.1:5684 or [::1]:5684)");
            }
        }
        BundlePayload payload;
        try {
            payload = BundleFiles.verify(bundle, trust, new VerificationContext(BundleKind.DEVICE, null, -1,
                    Instant.now(), VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
        } catch (BundleFiles.FileProblem e) {
            return fail(FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleException e) {
            return fail(FleetkeyDevice.BUNDLE_INVALID, "bundle " + bundle + " is invalid: " + e.getMessage());
        }
        try (SecureSession session = SecureSession.open(payload, server, override)) {
            CoapReply reply = session.get(path);
            if (verbose) {
                session.connectionInfo().ifPresent(info -> spec.commandLine().getErr().println(
                        "cipher suite: " + info.cipherSuite() + "\nsession resumed: " + (info.resumed() ? "yes" : "no")
                                + "\nserver: " + session.server().getHostString() + ":" + session.server().getPort()));
            }
            if (!reply.isSuccess()) {
                return fail(FleetkeyDevice.COAP_ERROR, "the server answered " + reply.code()
                        + (reply.text().isEmpty() ? "" : ": " + reply.text()));
            }
            spec.commandLine().getOut().println(reply.text());
            return FleetkeyDevice.OK;
        } catch (UnknownServerException e) {
            return fail(FleetkeyDevice.USAGE, e.getMessage());
        } catch (ServerConfigurationException e) {
            return fail(FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (DeviceRuntimeException e) {
            return fail(FleetkeyDevice.CONNECTION_FAILED, e.getMessage());
        }
    }

    private int fail(int code, String message) {
        spec.commandLine().getErr().println("fleetkey-device: " + message);
        return code;
    }

    private static Optional<InetSocketAddress> parseAddress(String text) {
        try {
            URI uri = new URI("coaps://" + text);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || !uri.getPath().isEmpty()) {
                return Optional.empty();
            }
            InetSocketAddress parsed = new InetSocketAddress(uri.getHost(), uri.getPort());
            return parsed.isUnresolved() ? Optional.empty() : Optional.of(parsed);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}

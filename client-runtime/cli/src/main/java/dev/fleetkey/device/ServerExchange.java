package dev.fleetkey.device;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.ServerConfigurationException;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.UnknownServerException;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options and steps every command that talks to a server shares: verify the device bundle, open a
 * session to the named server (resuming a saved one with {@code --state-dir}), run one CoAP request, print
 * the answer, map each failure to its exit code.
 */
final class ServerExchange {

    /** One CoAP request on an open session. */
    interface Request {
        CoapReply send(SecureSession session) throws DeviceRuntimeException;
    }

    /** A request that needs the verified bundle too (its sequence, device, template). */
    interface BundleRequest {
        CoapReply send(SecureSession session, BundlePayload bundle) throws DeviceRuntimeException;
    }

    int run(CommandSpec spec, Optional<Path> stateDirectory, Request request) {
        return run(spec, stateDirectory, (BundleRequest) (session, bundle) -> request.send(session));
    }

    @Option(names = "--bundle", paramLabel = "FILE", description = "the device's signed bundle; without it, the current"
            + " device and fleet bundles of --state-dir (see install and update)")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    Path trust;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "the server's name in the bundle")
    String server;

    @Option(names = "--address", paramLabel = "HOST:PORT",
            description = "dial this address instead of the server URI's (the server is still authenticated)")
    String address;

    @Option(names = "--max-session-age", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "resume a DTLS session only while its full handshake is younger than this, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE})")
    Duration maxSessionAge;

    @Option(names = "--verbose", description = "also print the negotiated cipher suite, whether the session was "
            + "resumed, and the handshake bytes sent and received")
    boolean verbose;

    int run(CommandSpec spec, Optional<Path> stateDirectory, BundleRequest request) {
        PrintWriter err = spec.commandLine().getErr();
        if (maxSessionAge.isNegative()) {
            return fail(err, FleetkeyDevice.USAGE, "--max-session-age must not be negative, was " + maxSessionAge);
        }
        Optional<InetSocketAddress> override = Optional.empty();
        if (address != null) {
            override = parseAddress(address);
            if (override.isEmpty()) {
                return fail(err, FleetkeyDevice.USAGE, "--address '" + address
                        + "' is not a resolvable HOST:PORT (e.g. 127.0.0.1:5684 or [::1]:5684)");
            }
        }
        BundlePayload payload;
        try {
            if (bundle == null) {
                if (stateDirectory.isEmpty()) {
                    return fail(err, FleetkeyDevice.USAGE, "give --bundle FILE, or --state-dir DIR of an installed device");
                }
                payload = DeviceStateDirectory.open(stateDirectory.get(), StateCommands.verifier(trust))
                        .current(Instant.now()).effectiveBundle();
            } else {
                payload = BundleFiles.verify(bundle, trust, new VerificationContext(BundleKind.DEVICE, null, -1,
                        Instant.now(), VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
            }
        } catch (StateDirectoryException e) {
            return fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleFiles.FileProblem e) {
            return fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleException e) {
            return fail(err, FleetkeyDevice.BUNDLE_INVALID, (bundle == null ? "state directory bundle" : "bundle " + bundle)
                    + " is invalid: " + e.getMessage());
        }
        SessionOptions base = SessionOptions.defaults().withMaxSessionAge(maxSessionAge);
        SessionOptions options = stateDirectory.map(base::withStateDirectory).orElse(base);
        try (SecureSession session = SecureSession.open(payload, server, override, options)) {
            CoapReply reply = request.send(session, payload);
            if (verbose) {
                session.connectionInfo().ifPresent(info -> describe(err, session, info));
            }
            if (!reply.isSuccess()) {
                return fail(err, FleetkeyDevice.COAP_ERROR, "the server answered " + reply.code()
                        + (reply.text().isEmpty() ? "" : ": " + reply.text()));
            }
            spec.commandLine().getOut().println(reply.text());
            return FleetkeyDevice.OK;
        } catch (UnknownServerException e) {
            return fail(err, FleetkeyDevice.USAGE, e.getMessage());
        } catch (ServerConfigurationException e) {
            return fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (DeviceRuntimeException e) {
            return fail(err, FleetkeyDevice.CONNECTION_FAILED, e.getMessage());
        }
    }

    private static void describe(PrintWriter err, SecureSession session, ConnectionInfo info) {
        err.println("cipher suite: " + info.cipherSuite());
        err.println("session resumed: " + (info.resumed() ? "yes" : "no"));
        err.println("connection id: " + (info.connectionId() ? "yes" : "no"));
        err.println("handshake bytes: sent " + info.handshakeBytesSent() + ", received " + info.handshakeBytesReceived());
        err.println("server: " + session.server().getHostString() + ":" + session.server().getPort());
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("fleetkey-device: " + message);
        return code;
    }

    static Optional<InetSocketAddress> parseAddress(String text) {
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

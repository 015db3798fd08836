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
import dev.fleetkey.runtime.ClientIdentity;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.renewal.CertificateRenewal;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options and steps every command that talks to a server shares: verify the device bundle, open a
 * session to the named server (resuming a saved one with {@code --state-dir}), run one CoAP request, print
 * the answer. Failures are thrown, for {@link ExitCodes} to map.
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

    @Option(names = "--bundle", paramLabel = "FILE", description = "the device's signed bundle; without it, the current"
            + " device and fleet bundles of --state-dir (see install and update)")
    private Path bundle;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "the device's state directory: its current"
            + " bundles are used when --bundle is not given, and DTLS sessions are kept there (encrypted with the"
            + " device's key) so that the next run resumes them")
    private Path stateDirectory;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "the server's name in the bundle")
    private String server;

    @Option(names = "--address", paramLabel = "HOST:PORT",
            description = "dial this address instead of the server URI's (the server is still authenticated)")
    private String address;

    @Option(names = "--max-session-age", paramLabel = "DURATION", defaultValue = "PT24H",
            description = "resume a DTLS session only while its full handshake is younger than this, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE})")
    private Duration maxSessionAge;

    @Mixin
    private TokenOptions token;

    @Option(names = "--verbose", description = "also print the negotiated cipher suite, whether the session was "
            + "resumed, and the handshake bytes sent and received")
    private boolean verbose;

    /** The {@code --state-dir}, if given. */
    Optional<Path> stateDirectory() {
        return Optional.ofNullable(stateDirectory);
    }

    int run(CommandSpec spec, Request request) throws CommandFailure, DeviceRuntimeException {
        return run(spec, (BundleRequest) (session, bundle) -> request.send(session));
    }

    int run(CommandSpec spec, BundleRequest request) throws CommandFailure, DeviceRuntimeException {
        if (maxSessionAge.isNegative()) {
            throw new CommandFailure.Usage("--max-session-age must not be negative, was " + maxSessionAge);
        }
        Optional<InetSocketAddress> override = address == null ? Optional.empty() : Optional.of(parseAddress(address));
        SessionOptions base = SessionOptions.defaults().withMaxSessionAge(maxSessionAge);
        SessionOptions options = stateDirectory == null ? base : base.withStateDirectory(stateDirectory);
        Instant now = Instant.now();
        BundlePayload payload;
        Optional<ClientIdentity> identity;
        if (bundle == null) {
            DeviceStateDirectory state = openState();
            InstalledState current = currentState(state, now);
            payload = current.effectiveBundle();
            identity = stateIdentity(spec, state, current, override, options);
        } else {
            payload = verifiedBundle(now);
            identity = token.inToken() ? Optional.of(ClientIdentity.withBundleChain(payload, server,
                    token.keyStore().bundleKey().orElseThrow(() -> new CommandFailure.Usage(
                            "give --pkcs11-key, the label of the bundle certificate's key in the token")))) : Optional.empty();
        }
        RenewalDue.warn(spec.commandLine().getErr(), payload, server, identity, now, stateDirectory);
        if (identity.isPresent()) {
            options = options.withClientIdentity(identity.get());
        }
        try (SecureSession session = SecureSession.open(payload, server, override, options)) {
            CoapReply reply = request.send(session, payload);
            if (verbose) {
                session.connectionInfo().ifPresent(info -> describe(spec.commandLine().getErr(), session, info));
            }
            if (!reply.isSuccess()) {
                throw new CommandFailure.CoapError("the server answered " + reply.code()
                        + (reply.text().isEmpty() ? "" : ": " + reply.text()));
            }
            spec.commandLine().getOut().println(reply.text());
            return ExitCodes.OK;
        }
    }

    private DeviceStateDirectory openState() throws CommandFailure, DeviceRuntimeException {
        if (stateDirectory == null) {
            throw new CommandFailure.Usage("give --bundle FILE, or --state-dir DIR of an installed device");
        }
        return DeviceStateDirectory.open(stateDirectory, BundleFiles.verifier(trust));
    }

    private static InstalledState currentState(DeviceStateDirectory state, Instant now)
            throws CommandFailure, DeviceRuntimeException {
        try {
            return state.current(now);
        } catch (BundleException e) {
            throw new CommandFailure.Unusable("state directory bundle", e);
        }
    }

    /**
     * The device's own credential for the server from the state directory (a renewed certificate, a token key),
     * after finishing a renewal a crash interrupted; empty for the bundle's own. A pending credential the server
     * cannot be asked about now stays pending, and the active one is used.
     */
    private Optional<ClientIdentity> stateIdentity(CommandSpec spec, DeviceStateDirectory state, InstalledState current,
            Optional<InetSocketAddress> override, SessionOptions options) throws CommandFailure, DeviceRuntimeException {
        boolean certificateServer = current.effectiveBundle().server(server)
                .map(entry -> entry.mode() == dev.fleetkey.bundle.CredentialMode.X509).orElse(false);
        if (!certificateServer) {
            return Optional.empty();
        }
        CertificateRenewal renewal = new CertificateRenewal(state, token.keyStore(), override, options);
        try {
            renewal.settlePending(server, current).ifPresent(leaf -> spec.commandLine().getErr().println(
                    "fleetkey-device: finished an interrupted renewal: now using certificate serial "
                            + leaf.getSerialNumber().toString(16)));
        } catch (StateDirectoryException | dev.fleetkey.runtime.keys.DeviceKeyException e) {
            throw e;
        } catch (DeviceRuntimeException e) {
            spec.commandLine().getErr().println("fleetkey-device: warning: a renewed certificate is pending and could"
                    + " not be confirmed (" + e.getMessage() + "); using the current one");
        }
        return renewal.identity(server, current);
    }

    /** The device bundle from --bundle, verified. */
    private BundlePayload verifiedBundle(Instant now) throws CommandFailure {
        try {
            return BundleFiles.verify(bundle, trust, new VerificationContext(BundleKind.DEVICE, null, -1,
                    now, VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
        } catch (BundleException e) {
            throw new CommandFailure.Unusable("bundle " + bundle, e);
        }
    }

    private static void describe(PrintWriter err, SecureSession session, ConnectionInfo info) {
        err.println("cipher suite: " + info.cipherSuite());
        err.println("session resumed: " + (info.resumed() ? "yes" : "no"));
        err.println("connection id: " + (info.connectionId() ? "yes" : "no"));
        err.println("handshake bytes: sent " + info.handshakeBytesSent() + ", received " + info.handshakeBytesReceived());
        err.println("server: " + session.server().getHostString() + ":" + session.server().getPort());
    }

    /** An {@code --address} HOST:PORT, resolved. */
    static InetSocketAddress parseAddress(String text) throws CommandFailure.Usage {
        CommandFailure.Usage unusable = new CommandFailure.Usage("--address '" + text
                + "' is not a resolvable HOST:PORT (e.g. 127.0.0.1:5684 or [::1]:5684)");
        try {
            URI uri = new URI("coaps://" + text);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || !uri.getPath().isEmpty()) {
                throw unusable;
            }
            InetSocketAddress parsed = new InetSocketAddress(uri.getHost(), uri.getPort());
            if (parsed.isUnresolved()) {
                throw unusable;
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw unusable;
        }
    }
}

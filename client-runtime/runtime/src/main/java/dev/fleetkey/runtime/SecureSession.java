package dev.fleetkey.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.runtime.dtls.ClientCredentials;
import dev.fleetkey.runtime.dtls.ClientSettings;
import dev.fleetkey.runtime.dtls.ScandiumCoapClient;
import dev.fleetkey.runtime.dtls.SessionStateFile;

/**
 * A CoAP-over-DTLS 1.2 session with one server named in a verified bundle, configured by nothing but
 * the bundle: the server entry gives address, credential mode and credentials, the bundle's DTLS policy
 * gives the retransmission timer (RFC 7925 section 11) and whether sessions are resumed.
 *
 * <p>Opening a session only binds a local UDP port; the handshake runs with the first request. Only the
 * profile's suite for the mode is offered ({@code TLS_PSK_WITH_AES_128_CCM_8} for PSK,
 * {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8} on secp256r1 with ECDSA-SHA256 for raw public keys and
 * certificates), DTLS 1.2 only, and renegotiation is never started. A raw public key server must present
 * a key the bundle lists or pins; a certificate server a chain to the bundle's trust anchors naming the
 * entry's host (RFC 6125), which is also sent as SNI. Not thread-safe: one request at a time.
 *
 * <pre>{@code
 * try (SecureSession session = SecureSession.open(verified.payload(), "fleetkey", Optional.empty())) {
 *     CoapReply reply = session.get("/hello");
 * }
 * }</pre>
 */
public final class SecureSession implements AutoCloseable {

    private final ClientSettings settings;
    private final boolean resumption;
    private final Optional<SessionStateFile> stateFile;
    private ScandiumCoapClient client;

    private SecureSession(ClientSettings settings, boolean resumption, Optional<SessionStateFile> stateFile)
            throws ConnectionFailedException {
        this.settings = settings;
        this.resumption = resumption;
        this.stateFile = stateFile;
        this.client = ScandiumCoapClient.start(settings, stateFile);
    }

    /**
     * Prepares a session with the server {@code serverName} of {@code bundle}.
     *
     * @param bundle          a payload that has passed {@code BundleVerifier}; it must carry the secrets
     *                        (a device bundle)
     * @param serverName      the server entry's name
     * @param addressOverride dial this address instead of the server URI's host and port (a test server,
     *                        a port forward); the server is still authenticated as the bundle says
     * @throws UnknownServerException       the bundle names no such server
     * @throws ServerConfigurationException the entry cannot be used: unsupported mode or suite, no
     *                                      secret, or a host that does not resolve
     * @throws ConnectionFailedException    the local UDP socket cannot be opened
     */
    public static SecureSession open(BundlePayload bundle, String serverName,
                                     Optional<InetSocketAddress> addressOverride) throws DeviceRuntimeException {
        return open(bundle, serverName, addressOverride, SessionOptions.defaults());
    }

    /**
     * As {@link #open(BundlePayload, String, Optional)}, with a state directory and a maximum session age.
     * With a state directory, a session saved by an earlier process is loaded (and resumed by the first
     * request) and {@link #close()} saves the session, encrypted under a key derived from this device's
     * secret for the server.
     */
    public static SecureSession open(BundlePayload bundle, String serverName, Optional<InetSocketAddress> addressOverride,
                                     SessionOptions options) throws DeviceRuntimeException {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(addressOverride, "addressOverride");
        Objects.requireNonNull(options, "options");
        ServerEntry server = bundle.server(serverName).orElseThrow(() -> new UnknownServerException(serverName,
                bundle.servers().stream().map(ServerEntry::name).toList()));
        ClientCredentials credentials = BundleCredentials.of(server, options.clientIdentity());
        InetSocketAddress peer = addressOverride.isPresent() ? addressOverride.get() : resolve(server);
        ClientSettings settings;
        try {
            settings = new ClientSettings(peer, credentials, bundle.dtlsPolicy().initialRetransmission(),
                    bundle.dtlsPolicy().connectionId(), options.maxSessionAge());
        } catch (IllegalArgumentException e) {
            throw new ServerConfigurationException("server '" + serverName + "': " + e.getMessage());
        }
        Optional<javax.crypto.SecretKey> stateKey = bundle.dtlsPolicy().resumption() && options.stateDirectory()
                .isPresent() ? BundleCredentials.sessionStateKey(server, options.clientIdentity()) : Optional.empty();
        Optional<SessionStateFile> state = stateKey.map(key -> new SessionStateFile(options.stateDirectory().get()
                .resolve("sessions").resolve(fileName(serverName) + ".dtls"), key));
        return new SecureSession(settings, bundle.dtlsPolicy().resumption(), state);
    }

    private static String fileName(String serverName) {
        return serverName.matches("[A-Za-z0-9._-]{1,64}") && !serverName.startsWith(".") ? serverName
                : java.util.HexFormat.of().formatHex(serverName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Sends a CoAP GET and waits for the response; the first request runs the DTLS handshake.
     *
     * @param path the Uri-Path, e.g. {@code /hello}
     * @throws HandshakeTimeoutException the server never answered the handshake
     * @throws AlertReceivedException    the server refused the handshake with a fatal alert
     * @throws UntrustedServerException  the server's key or chain is not one the bundle trusts
     * @throws ServerNameMismatchException the server's certificate does not name the bundle's host
     * @throws ServerCertificateExpiredException the server's certificate is out of date
     * @throws NoResponseException       the session is up but the request went unanswered
     * @throws ConnectionFailedException any other transport failure
     */
    public CoapReply get(String path) throws DeviceRuntimeException {
        return client.get(path);
    }

    /**
     * Sends a CoAP GET that names the representations the device already holds by their ETags (RFC 7252
     * section 5.10.6): a server answers {@code 2.03 Valid} with no payload when one of them is current.
     *
     * @param path  the Uri-Path
     * @param etags ETags from earlier replies ({@link CoapReply#etag()}), each 1..8 bytes
     * @throws DeviceRuntimeException as for {@link #get(String)}
     */
    public CoapReply get(String path, List<byte[]> etags) throws DeviceRuntimeException {
        Objects.requireNonNull(etags, "etags");
        return client.get(path, etags);
    }

    /**
     * Sends a CoAP POST and waits for the response.
     *
     * @param path          the Uri-Path
     * @param payload       the request body
     * @param contentFormat the CoAP Content-Format number, e.g. 0 for text/plain, 60 for CBOR
     * @throws DeviceRuntimeException as for {@link #get(String)}
     */
    public CoapReply post(String path, byte[] payload, int contentFormat) throws DeviceRuntimeException {
        Objects.requireNonNull(payload, "payload");
        return client.post(path, payload, contentFormat);
    }

    /**
     * Sends a CoAP POST asking for a response in one Content-Format (the Accept option), and waits for it.
     * Payloads larger than one datagram travel block-wise (RFC 7959) both ways.
     *
     * @param accept the CoAP Content-Format number the response should have
     * @throws DeviceRuntimeException as for {@link #get(String)}
     */
    public CoapReply post(String path, byte[] payload, int contentFormat, int accept) throws DeviceRuntimeException {
        Objects.requireNonNull(payload, "payload");
        return client.post(path, payload, contentFormat, accept);
    }

    /**
     * Ends the current DTLS connection. The next request resumes the session with an abbreviated
     * handshake when the bundle's policy allows resumption, and runs a full handshake otherwise.
     *
     * @throws ConnectionFailedException the local UDP socket cannot be reopened (no resumption only)
     */
    public void reconnect() throws ConnectionFailedException {
        if (resumption) {
            client.reconnect();
        } else {
            client.close();
            client = ScandiumCoapClient.start(settings, stateFile);
        }
    }

    /** What DTLS negotiated for the last successful request: suite, session id, whether resumed. */
    public Optional<ConnectionInfo> connectionInfo() {
        return client.connectionInfo();
    }

    /** The address this session dials. */
    public InetSocketAddress server() {
        return settings.peer();
    }

    /**
     * Ends the DTLS connection with {@code close_notify}, saves the session when a state directory was
     * given, closes the UDP socket and wipes the session's copy of the PSK.
     */
    @Override
    public void close() {
        client.close();
    }

    private static InetSocketAddress resolve(ServerEntry server) throws ServerConfigurationException {
        try {
            return new InetSocketAddress(InetAddress.getByName(server.uri().getHost()), server.port());
        } catch (UnknownHostException e) {
            throw new ServerConfigurationException("server '" + server.name() + "': host '" + server.uri().getHost()
                    + "' does not resolve; check DNS or pass an address override");
        }
    }
}

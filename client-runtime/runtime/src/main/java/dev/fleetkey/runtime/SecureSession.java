package dev.fleetkey.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.runtime.dtls.ClientSettings;
import dev.fleetkey.runtime.dtls.ScandiumCoapClient;

/**
 * A CoAP-over-DTLS 1.2 session with one server named in a verified bundle, configured by nothing but
 * the bundle: the server entry gives address, credential mode and credentials, the bundle's DTLS policy
 * gives the retransmission timer (RFC 7925 section 11) and whether sessions are resumed.
 *
 * <p>Opening a session only binds a local UDP port; the handshake runs with the first request. Only the
 * profile's suite for the mode is offered ({@code TLS_PSK_WITH_AES_128_CCM_8} for PSK), DTLS 1.2 only,
 * and renegotiation is never started. Not thread-safe: one request at a time.
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
    private ScandiumCoapClient client;

    private SecureSession(ClientSettings settings, boolean resumption) throws ConnectionFailedException {
        this.settings = settings;
        this.resumption = resumption;
        this.client = ScandiumCoapClient.start(settings);
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
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(addressOverride, "addressOverride");
        ServerEntry server = bundle.server(serverName).orElseThrow(() -> new UnknownServerException(serverName,
                bundle.servers().stream().map(ServerEntry::name).toList()));
        if (server.mode() != CredentialMode.PSK) {
            throw new ServerConfigurationException("server '" + serverName + "' uses credential mode "
                    + server.mode() + ", which this runtime does not support yet; PSK is supported");
        }
        if (!server.cipherSuites().contains(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8)) {
            throw new ServerConfigurationException("server '" + serverName + "' allows none of the suites this "
                    + "runtime offers for PSK (TLS_PSK_WITH_AES_128_CCM_8); the bundle lists " + server.cipherSuites());
        }
        ServerCredentials.Psk psk = (ServerCredentials.Psk) server.credentials();
        if (!psk.hasSecret() || psk.identity() == null) {
            throw new ServerConfigurationException("server '" + serverName + "' has no PSK in this bundle ("
                    + bundle.kind() + " bundle): open sessions with the device's own credential bundle");
        }
        InetSocketAddress peer = addressOverride.isPresent() ? addressOverride.get() : resolve(server);
        ClientSettings settings;
        try {
            settings = new ClientSettings(peer, psk.identity(), psk.key(), bundle.dtlsPolicy().initialRetransmission());
        } catch (IllegalArgumentException e) {
            throw new ServerConfigurationException("server '" + serverName + "': " + e.getMessage());
        }
        return new SecureSession(settings, bundle.dtlsPolicy().resumption());
    }

    /**
     * Sends a CoAP GET and waits for the response; the first request runs the DTLS handshake.
     *
     * @param path the Uri-Path, e.g. {@code /hello}
     * @throws HandshakeTimeoutException the server never answered the handshake
     * @throws AlertReceivedException    the server refused the handshake with a fatal alert
     * @throws NoResponseException       the session is up but the request went unanswered
     * @throws ConnectionFailedException any other transport failure
     */
    public CoapReply get(String path) throws DeviceRuntimeException {
        return client.get(path);
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
            client = ScandiumCoapClient.start(settings);
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

    /** Closes the UDP socket and wipes the session's copy of the key. */
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

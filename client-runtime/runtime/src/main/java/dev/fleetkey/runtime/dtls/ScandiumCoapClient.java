package dev.fleetkey.runtime.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MapBasedEndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.util.Bytes;
import org.eclipse.californium.elements.util.StringUtil;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;

import dev.fleetkey.bundle.credentials.PskCredential;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.ConnectionFailedException;
import dev.fleetkey.runtime.ConnectionInfo;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.NoResponseException;

/**
 * The one place the client touches Californium: a Scandium DTLS connector under a CoAP endpoint,
 * talking to a single server. Requests block until the response, or until DTLS or CoAP give up.
 */
public final class ScandiumCoapClient implements AutoCloseable {

    /** How long {@link #close()} waits for the close_notify to leave the socket. */
    private static final long CLOSE_NOTIFY_WAIT_MILLIS = 1_000;

    private final ClientSettings settings;
    private final CountingDtlsConnector connector;
    private final CoapEndpoint endpoint;
    private final Duration requestDeadline;
    private final AdvancedSinglePskStore pskStore;
    private final ServerIdentityVerifier trust;
    private final String virtualHost;
    private final Optional<SessionStateFile> stateFile;
    private boolean forceFullHandshake;
    private ConnectionInfo connectionInfo;

    private ScandiumCoapClient(ClientSettings settings, CountingDtlsConnector connector, CoapEndpoint endpoint,
                               AdvancedSinglePskStore pskStore, ServerIdentityVerifier trust,
                               Optional<SessionStateFile> stateFile) {
        this.settings = settings;
        this.connector = connector;
        this.endpoint = endpoint;
        this.requestDeadline = ProfileConfiguration.worstCaseExchange(settings.initialRetransmission());
        this.pskStore = pskStore;
        this.trust = trust;
        this.stateFile = stateFile;
        this.virtualHost = settings.credentials() instanceof ClientCredentials.Certificates
                && !StringUtil.isLiteralIpAddress(((ClientCredentials.Certificates) settings.credentials()).serverHost())
                ? ((ClientCredentials.Certificates) settings.credentials()).serverHost() : null;
    }

    /**
     * Opens the local UDP socket. No packet is sent yet: the handshake runs with the first request.
     *
     * @throws ConnectionFailedException when the local socket cannot be opened
     */
    public static ScandiumCoapClient start(ClientSettings settings) throws ConnectionFailedException {
        return start(settings, Optional.empty());
    }

    /**
     * As {@link #start(ClientSettings)}, first loading a session saved by an earlier process from
     * {@code stateFile}, so the first handshake resumes it; {@link #close()} saves the session there.
     */
    public static ScandiumCoapClient start(ClientSettings settings, Optional<SessionStateFile> stateFile)
            throws ConnectionFailedException {
        Configuration config = ProfileConfiguration.client(settings);
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(0))
                .setSerializationLabel(SessionStateFile.LABEL);
        AdvancedSinglePskStore pskStore = null;
        ServerIdentityVerifier trust = null;
        ClientCredentials credentials = settings.credentials();
        if (credentials instanceof ClientCredentials.Psk) {
            PskCredential psk = ((ClientCredentials.Psk) credentials).credential();
            byte[] identity = psk.identity();
            // The identity is opaque bytes (RFC 4279): send them unchanged, whatever their encoding.
            byte[] key = psk.key();
            pskStore = new AdvancedSinglePskStore(
                    new PskPublicInformation(new String(identity, StandardCharsets.UTF_8), identity), key);
            Arrays.fill(key, (byte) 0);
            dtls.setAdvancedPskStore(pskStore);
        } else if (credentials instanceof ClientCredentials.RawKey) {
            ClientCredentials.RawKey raw = (ClientCredentials.RawKey) credentials;
            trust = ServerIdentityVerifier.rawKeys(raw);
            dtls.setCertificateIdentityProvider(new SingleCertificateProvider(raw.privateKey(), raw.publicKey()));
            dtls.setAdvancedCertificateVerifier(trust);
        } else {
            ClientCredentials.Certificates certificates = (ClientCredentials.Certificates) credentials;
            trust = ServerIdentityVerifier.certificates(certificates);
            dtls.setCertificateIdentityProvider(new SingleCertificateProvider(certificates.privateKey(),
                    certificates.chain().toArray(new java.security.cert.X509Certificate[0]),
                    org.eclipse.californium.scandium.dtls.CertificateType.X_509));
            dtls.setAdvancedCertificateVerifier(trust);
        }
        CountingDtlsConnector connector;
        try {
            connector = new CountingDtlsConnector(dtls.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConnectionFailedException("the DTLS client cannot be configured: " + e.getMessage(), e);
        }
        boolean loaded = stateFile.map(file -> file.loadInto(connector)).orElse(false);
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
        try {
            endpoint.start();
        } catch (IOException e) {
            endpoint.destroy();
            throw new ConnectionFailedException("cannot open a local UDP socket: " + e.getMessage(), e);
        }
        if (loaded) {
            // The saved connection belongs to the old process's port: resume it instead of reusing its epoch.
            connector.forceResumeSessionFor(settings.peer());
        }
        return new ScandiumCoapClient(settings, connector, endpoint, pskStore, trust, stateFile);
    }

    /** Sends a GET and waits for the response. */
    public CoapReply get(String path) throws DeviceRuntimeException {
        return exchange(Request.newGet(), path);
    }

    /** Sends a GET carrying ETags the client already holds (the server answers 2.03 Valid when one is current). */
    public CoapReply get(String path, List<byte[]> etags) throws DeviceRuntimeException {
        Request request = Request.newGet();
        etags.forEach(etag -> request.getOptions().addETag(etag.clone()));
        return exchange(request, path);
    }

    /** Sends a POST with a payload of the given Content-Format and waits for the response. */
    public CoapReply post(String path, byte[] payload, int contentFormat) throws DeviceRuntimeException {
        Request request = Request.newPost();
        request.setPayload(payload.clone());
        request.getOptions().setContentFormat(contentFormat);
        return exchange(request, path);
    }

    /** Sends a POST with a payload of the given Content-Format, asking for an answer in {@code accept}. */
    public CoapReply post(String path, byte[] payload, int contentFormat, int accept) throws DeviceRuntimeException {
        Request request = Request.newPost();
        request.setPayload(payload.clone());
        request.getOptions().setContentFormat(contentFormat);
        request.getOptions().setAccept(accept);
        return exchange(request, path);
    }

    /**
     * Ends the DTLS connection with {@code close_notify}; the next request resumes the session with an
     * abbreviated handshake (servers ignore a new ClientHello on a live connection's address).
     */
    public void reconnect() {
        sendCloseNotify();
    }

    /** What the DTLS layer reported for the last successful exchange. */
    public synchronized Optional<ConnectionInfo> connectionInfo() {
        return Optional.ofNullable(connectionInfo);
    }

    /** The local address the UDP socket is bound to. */
    public InetSocketAddress localAddress() {
        return connector.getAddress();
    }

    private CoapReply exchange(Request request, String path) throws DeviceRuntimeException {
        InetSocketAddress peer = settings.peer();
        if (sessionTooOld()) {
            // No resumption past the maximum age: end the connection politely, then insist on a full handshake.
            sendCloseNotify();
            forceFullHandshake = true;
        }
        request.setDestinationContext(new MapBasedEndpointContext(peer, virtualHost, null, forceFullHandshake
                ? DtlsEndpointContext.ATTRIBUE_HANDSHAKE_MODE_FORCE_FULL
                : new MapBasedEndpointContext.Attributes()));
        request.getOptions().setUriPath(path.startsWith("/") ? path.substring(1) : path);
        CompletableFuture<Response> outcome = new CompletableFuture<>();
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                outcome.complete(response);
            }

            @Override
            public void onSendError(Throwable error) {
                outcome.completeExceptionally(error);
            }

            @Override
            protected void failed() {
                outcome.completeExceptionally(new NoResponseException("the CoAP request " + request.getCode()
                        + " " + path + " got no response: it " + (request.isRejected() ? "was reset by the server"
                        : "timed out after all retransmissions")));
            }
        });
        if (trust != null) {
            trust.forgetRejection();
        }
        long started = System.currentTimeMillis();
        connector.takeHandshakeBytes();
        endpoint.sendRequest(request);
        Response response;
        try {
            response = outcome.get(requestDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            request.cancel();
            Thread.currentThread().interrupt();
            throw new ConnectionFailedException("interrupted while waiting for " + peer);
        } catch (TimeoutException e) {
            request.cancel();
            throw new NoResponseException("no response from " + peer + " within " + requestDeadline.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (trust != null && trust.lastRejection() != null) {
                throw trust.lastRejection();
            }
            throw FailureTranslation.translate(e.getCause(), peer);
        }
        forceFullHandshake = false;
        remember(response.getSourceContext(), started);
        Integer format = response.getOptions().hasContentFormat() ? response.getOptions().getContentFormat() : null;
        return new CoapReply(response.getCode().codeClass, response.getCode().codeDetail,
                format == null || format == MediaTypeRegistry.UNDEFINED ? OptionalInt.empty() : OptionalInt.of(format),
                response.getPayload(), response.getOptions().getETagCount() == 0 ? null
                        : response.getOptions().getETags().get(0));
    }

    private boolean sessionTooOld() {
        DTLSSession session = connector.getSessionByAddress(settings.peer());
        return session != null && session.getCipherSuite() != null
                && System.currentTimeMillis() - session.getCreationTime() > settings.maxSessionAge().toMillis();
    }

    private synchronized void remember(EndpointContext context, long exchangeStarted) {
        String cipher = context.getString(DtlsEndpointContext.KEY_CIPHER);
        Bytes sessionId = context.get(DtlsEndpointContext.KEY_SESSION_ID);
        Long handshakeTimestamp = context.get(DtlsEndpointContext.KEY_HANDSHAKE_TIMESTAMP);
        long[] bytes = connector.takeHandshakeBytes();
        boolean newHandshake = handshakeTimestamp != null && handshakeTimestamp >= exchangeStarted;
        if (!newHandshake && connectionInfo != null) {
            return; // the exchange rode on the existing connection: the last handshake's figures stand
        }
        DTLSSession session = connector.getSessionByAddress(settings.peer());
        // A session's creation time is that of its full handshake; resumption keeps it (and so does the state file).
        boolean resumed = newHandshake && session != null && session.getCreationTime() < exchangeStarted;
        Bytes cid = context.get(DtlsEndpointContext.KEY_WRITE_CONNECTION_ID);
        connectionInfo = new ConnectionInfo(cipher == null ? "" : cipher,
                sessionId == null ? "" : sessionId.getAsString(), resumed, cid != null && !cid.isEmpty(),
                bytes[0], bytes[1]);
    }

    private void sendCloseNotify() {
        long before = connector.datagramsSent();
        if (connector.getDtlsContextByAddress(settings.peer()) == null) {
            return;
        }
        connector.close(settings.peer());
        connector.awaitDatagramsSentBeyond(before, CLOSE_NOTIFY_WAIT_MILLIS);
    }

    /**
     * Sends {@code close_notify}, saves the session to the state file when there is one, stops the endpoint,
     * closes the socket and wipes the PSK from the store. A state file that cannot be written costs the
     * next process a full handshake, nothing more; {@link #closeAndSave()} reports it.
     */
    @Override
    public void close() {
        try {
            closeAndSave();
        } catch (IOException e) {
            // the next start runs a full handshake; nothing else is lost
        }
    }

    /** As {@link #close()}, reporting a session state file that could not be written. */
    public void closeAndSave() throws IOException {
        try {
            if (stateFile.isPresent()) {
                connector.stopListening();
            }
            sendCloseNotify();
            if (stateFile.isPresent()) {
                endpoint.stop();
                stateFile.get().saveFrom(connector);
            }
        } finally {
            endpoint.destroy();
            if (pskStore != null) {
                try {
                    pskStore.destroy();
                } catch (javax.security.auth.DestroyFailedException e) {
                    // the store holds its own copy; nothing more we can wipe
                }
            }
        }
    }
}

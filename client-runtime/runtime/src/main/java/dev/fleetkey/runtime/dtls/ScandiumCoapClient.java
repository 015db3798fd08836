package dev.fleetkey.runtime.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.util.Bytes;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

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

    private final InetSocketAddress peer;
    private final DTLSConnector connector;
    private final CoapEndpoint endpoint;
    private final Duration requestDeadline;
    private final AdvancedSinglePskStore pskStore;
    private Long lastHandshakeTimestamp;
    private Bytes lastSessionId;
    private ConnectionInfo connectionInfo;

    private ScandiumCoapClient(InetSocketAddress peer, DTLSConnector connector, CoapEndpoint endpoint,
                               Duration requestDeadline, AdvancedSinglePskStore pskStore) {
        this.peer = peer;
        this.connector = connector;
        this.endpoint = endpoint;
        this.requestDeadline = requestDeadline;
        this.pskStore = pskStore;
    }

    /**
     * Opens the local UDP socket. No packet is sent yet: the handshake runs with the first request.
     *
     * @throws ConnectionFailedException when the local socket cannot be opened
     */
    public static ScandiumCoapClient start(ClientSettings settings) throws ConnectionFailedException {
        Configuration config = ProfileConfiguration.pskClient(settings.initialRetransmission());
        byte[] identity = settings.pskIdentity();
        // The identity is opaque bytes (RFC 4279): send them unchanged, whatever their encoding.
        PskPublicInformation pskIdentity =
                new PskPublicInformation(new String(identity, StandardCharsets.UTF_8), identity);
        byte[] key = settings.pskKey();
        AdvancedSinglePskStore pskStore = new AdvancedSinglePskStore(pskIdentity, key);
        java.util.Arrays.fill(key, (byte) 0);
        DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(0))
                .setAdvancedPskStore(pskStore)
                .build();
        DTLSConnector connector = new DTLSConnector(dtlsConfig);
        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setConnector(connector)
                .build();
        try {
            endpoint.start();
        } catch (IOException e) {
            endpoint.destroy();
            throw new ConnectionFailedException("cannot open a local UDP socket: " + e.getMessage(), e);
        }
        return new ScandiumCoapClient(settings.peer(), connector, endpoint,
                ProfileConfiguration.worstCaseExchange(settings.initialRetransmission()), pskStore);
    }

    /** Sends a GET and waits for the response. */
    public CoapReply get(String path) throws DeviceRuntimeException {
        return exchange(Request.newGet(), path);
    }

    /** Sends a POST with a payload of the given Content-Format and waits for the response. */
    public CoapReply post(String path, byte[] payload, int contentFormat) throws DeviceRuntimeException {
        Request request = Request.newPost();
        request.setPayload(payload.clone());
        request.getOptions().setContentFormat(contentFormat);
        return exchange(request, path);
    }

    /**
     * Ends the DTLS connection with {@code close_notify}; the next request resumes the session with an
     * abbreviated handshake (servers ignore a new ClientHello on a live connection's address).
     */
    public void reconnect() {
        connector.close(peer);
    }

    /** What the DTLS layer reported for the last successful exchange. */
    public Optional<ConnectionInfo> connectionInfo() {
        synchronized (this) {
            return Optional.ofNullable(connectionInfo);
        }
    }

    /** The local address the UDP socket is bound to. */
    public InetSocketAddress localAddress() {
        return connector.getAddress();
    }

    private CoapReply exchange(Request request, String path) throws DeviceRuntimeException {
        request.setDestinationContext(new AddressEndpointContext(peer));
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
            throw FailureTranslation.translate(e.getCause(), peer);
        }
        remember(response.getSourceContext());
        Integer format = response.getOptions().hasContentFormat() ? response.getOptions().getContentFormat() : null;
        return new CoapReply(response.getCode().codeClass, response.getCode().codeDetail,
                format == null || format == MediaTypeRegistry.UNDEFINED ? OptionalInt.empty() : OptionalInt.of(format),
                response.getPayload());
    }

    private synchronized void remember(EndpointContext context) {
        String cipher = context.getString(DtlsEndpointContext.KEY_CIPHER);
        Bytes sessionId = context.get(DtlsEndpointContext.KEY_SESSION_ID);
        Long handshakeTimestamp = context.get(DtlsEndpointContext.KEY_HANDSHAKE_TIMESTAMP);
        boolean newHandshake = handshakeTimestamp != null && !handshakeTimestamp.equals(lastHandshakeTimestamp);
        boolean resumed;
        if (newHandshake) {
            // An abbreviated handshake keeps the session id; a full one gets a new one from the server.
            resumed = lastSessionId != null && !lastSessionId.isEmpty() && lastSessionId.equals(sessionId);
        } else {
            resumed = connectionInfo != null && connectionInfo.resumed();
        }
        lastHandshakeTimestamp = handshakeTimestamp;
        lastSessionId = sessionId;
        connectionInfo = new ConnectionInfo(cipher == null ? "" : cipher,
                sessionId == null ? "" : sessionId.getAsString(), resumed);
    }

    /** Stops the endpoint, closes the socket and wipes the PSK from the store. */
    @Override
    public void close() {
        endpoint.destroy();
        try {
            pskStore.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            // the store holds its own copy; nothing more we can wipe
        }
    }
}

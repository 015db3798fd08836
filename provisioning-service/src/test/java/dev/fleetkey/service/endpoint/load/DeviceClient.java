package dev.fleetkey.service.endpoint.load;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * One simulated device: a Scandium client on its own UDP port (its own 5-tuple) under a CoAP endpoint, with
 * the device's credentials. The server is trusted blindly: the load is the server's, and the client saves the
 * CPU of checking it. Executors are shared among all devices: the DTLS executor is a scheduled one, so it is also
 * the connector's timer, and a client costs one thread (its UDP receiver), so thousands of them fit next to the
 * service. Requests complete asynchronously ({@link #start}), so an open loop needs no thread per request in flight.
 */
final class DeviceClient implements AutoCloseable {

    /** How one request ended: its latency, or why it did not complete. */
    record Outcome(long nanos, boolean failed, boolean timedOut) {
        boolean ok() {
            return !failed && !timedOut;
        }
    }

    private static final long TIMEOUT_MILLIS = 60_000;

    private final DTLSConnector connector;
    private final CoapEndpoint endpoint;
    private final InetSocketAddress server;

    private DeviceClient(DtlsConnectorConfig config, InetSocketAddress server, ScheduledExecutorService executor,
                         ScheduledExecutorService timer) throws Exception {
        this.server = server;
        this.connector = new DTLSConnector(config);
        connector.setExecutor(executor);
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config.getConfiguration()).setConnector(connector)
                .build();
        endpoint.setExecutors(timer, timer);
        endpoint.start();
    }

    /** A client for {@code device}'s credential. */
    static DeviceClient of(DeviceCredentials device, InetSocketAddress server, ScheduledExecutorService executor,
                           ScheduledExecutorService timer) throws Exception {
        if (device.pskIdentity() != null) {
            return psk(device.pskIdentity(), device.pskKey(), server, executor, timer);
        }
        Configuration config = configuration(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        config.set(DtlsConfig.DTLS_CURVES, List.of(SupportedGroup.secp256r1));
        config.set(DtlsConfig.DTLS_SIGNATURE_AND_HASH_ALGORITHMS, List.of(SignatureAndHashAlgorithm.SHA256_WITH_ECDSA));
        config.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0));
        if (device.chain().isEmpty()) {
            config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.RAW_PUBLIC_KEY));
            builder.setCertificateIdentityProvider(new SingleCertificateProvider(device.privateKey(), device.publicKey()))
                    .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder().setTrustAllRPKs().build());
        } else {
            config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
            builder.setCertificateIdentityProvider(new SingleCertificateProvider(device.privateKey(),
                            device.chain().toArray(new X509Certificate[0]), CertificateType.X_509))
                    .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                            .setTrustAllCertificates().build());
        }
        return new DeviceClient(builder.build(), server, executor, timer);
    }

    /** A PSK client (the devices, and the bare echo server's clients). */
    static DeviceClient psk(byte[] identity, byte[] key, InetSocketAddress server, ScheduledExecutorService executor,
                            ScheduledExecutorService timer) throws Exception {
        Configuration config = configuration(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        return new DeviceClient(DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(new PskPublicInformation(
                        new String(identity, StandardCharsets.ISO_8859_1), identity), key)).build(),
                server, executor, timer);
    }

    private static Configuration configuration(CipherSuite suite) {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(suite));
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 4);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 4);
        config.set(CoapConfig.MAX_RETRANSMIT, 4);
        config.set(CoapConfig.EXCHANGE_LIFETIME, 70, TimeUnit.SECONDS);
        return config;
    }

    /** A full handshake (cookie exchange included), completed by one {@code GET /hello}. */
    Outcome fullHandshake() {
        return startFullHandshake().join();
    }

    /** An abbreviated handshake resuming the last session, completed by one {@code GET /hello}. */
    Outcome resumedHandshake() {
        return startResumedHandshake().join();
    }

    /** {@code POST path} with a CBOR body on the established session. */
    Outcome post(String path, byte[] cbor) {
        return send(Code.POST, path, cbor).join();
    }

    /** Starts a full handshake and its {@code GET /hello}; the answer completes the future. */
    CompletableFuture<Outcome> startFullHandshake() {
        connector.clearConnectionState();
        return send(Code.GET, "hello", null);
    }

    /** Starts an abbreviated handshake resuming the last session and its {@code GET /hello}. */
    CompletableFuture<Outcome> startResumedHandshake() {
        connector.forceResumeSessionFor(server);
        return send(Code.GET, "hello", null);
    }

    /**
     * Sends and completes with how it ended: an answer (failed when not 2.xx: a refusal such as 5.03 counts as
     * failed), a fatal alert or another send error (failed), or no answer after the DTLS and CoAP retransmissions or
     * within {@link #TIMEOUT_MILLIS} (timed out, the "dropped" column).
     */
    private CompletableFuture<Outcome> send(Code code, String path, byte[] cbor) {
        Request request = new Request(code);
        request.setURI("coaps://" + server.getAddress().getHostAddress() + ":" + server.getPort() + "/" + path);
        if (cbor != null) {
            request.setPayload(cbor);
            request.getOptions().setContentFormat(60);
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        long start = System.nanoTime();
        request.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onResponse(Response response) {
                outcome.complete(new Outcome(System.nanoTime() - start, !response.isSuccess(), false));
            }

            @Override
            public void onTimeout() {
                outcome.complete(new Outcome(System.nanoTime() - start, false, true));
            }

            @Override
            public void onSendError(Throwable error) {
                boolean timedOut = error instanceof DtlsHandshakeTimeoutException;
                outcome.complete(new Outcome(System.nanoTime() - start, !timedOut, timedOut));
            }

            @Override
            protected void failed() {
                outcome.complete(new Outcome(System.nanoTime() - start, true, false));
            }
        });
        endpoint.sendRequest(request);
        return outcome.completeOnTimeout(new Outcome(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS), false, true),
                TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((ended, error) -> {
                    if (ended != null && ended.timedOut()) {
                        request.cancel();
                    }
                });
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}

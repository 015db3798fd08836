package dev.fleetkey.service.endpoint.load;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.Code;
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
 * CPU of checking it. Executors are shared among all devices so a few hundred of them need few threads.
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

    private DeviceClient(DtlsConnectorConfig config, InetSocketAddress server, ExecutorService executor,
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
    static DeviceClient of(DeviceCredentials device, InetSocketAddress server, ExecutorService executor,
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
    static DeviceClient psk(byte[] identity, byte[] key, InetSocketAddress server, ExecutorService executor,
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
        connector.clearConnectionState();
        return send(Code.GET, "hello", null);
    }

    /** An abbreviated handshake resuming the last session, completed by one {@code GET /hello}. */
    Outcome resumedHandshake() {
        connector.forceResumeSessionFor(server);
        return send(Code.GET, "hello", null);
    }

    /** {@code POST path} with a CBOR body on the established session. */
    Outcome post(String path, byte[] cbor) {
        return send(Code.POST, path, cbor);
    }

    private Outcome send(Code code, String path, byte[] cbor) {
        Request request = new Request(code);
        request.setURI("coaps://" + server.getAddress().getHostAddress() + ":" + server.getPort() + "/" + path);
        if (cbor != null) {
            request.setPayload(cbor);
            request.getOptions().setContentFormat(60);
        }
        long start = System.nanoTime();
        endpoint.sendRequest(request);
        Response response;
        try {
            response = request.waitForResponse(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, true, false);
        }
        long nanos = System.nanoTime() - start;
        if (response == null) {
            return new Outcome(nanos, request.getSendError() != null || request.isRejected(),
                    request.getSendError() == null && !request.isRejected());
        }
        return new Outcome(nanos, !response.isSuccess(), false);
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}

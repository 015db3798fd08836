package dev.fleetkey.service.endpoint;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * Scandium as it comes: default configuration, only the suite and the credentials set, server trusted
 * blindly. The baseline issue 5 measures the runtime against ("never more than a stock Scandium client").
 * Sends one datagram of application data, which completes the handshake, and nothing else.
 */
final class StockScandiumClient implements AutoCloseable {

    private final DTLSConnector connector;
    private final InetSocketAddress peer;

    private StockScandiumClient(DtlsConnectorConfig config, InetSocketAddress peer) throws Exception {
        this.connector = new DTLSConnector(config);
        this.peer = peer;
        connector.setRawDataReceiver(data -> { });
        connector.start();
    }

    static StockScandiumClient psk(InetSocketAddress peer, byte[] identity, byte[] key) throws Exception {
        Configuration config = base(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        return new StockScandiumClient(DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(new PskPublicInformation(
                        new String(identity, StandardCharsets.US_ASCII), identity), key)).build(), peer);
    }

    static StockScandiumClient rawKey(InetSocketAddress peer, KeyPair keys) throws Exception {
        Configuration config = base(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.RAW_PUBLIC_KEY));
        return new StockScandiumClient(DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(keys.getPrivate(), keys.getPublic()))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder().setTrustAllRPKs()
                        .build()).build(), peer);
    }

    static StockScandiumClient certificate(InetSocketAddress peer, PrivateKey key, List<X509Certificate> chain)
            throws Exception {
        Configuration config = base(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        config.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        return new StockScandiumClient(DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(key,
                        chain.toArray(new X509Certificate[0]), CertificateType.X_509))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustAllCertificates().build()).build(), peer);
    }

    private static Configuration base(CipherSuite suite) {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(suite));
        return config;
    }

    /** Runs a handshake (full or, after {@link #closeConnection()}, resumed) by sending one datagram. */
    void handshake() throws Exception {
        handshake(10);
    }

    /** As {@link #handshake()}, waiting at most {@code seconds} for it. */
    void handshake(int seconds) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        connector.send(RawData.outbound("x".getBytes(StandardCharsets.US_ASCII), new AddressEndpointContext(peer),
                new MessageCallback() {
                    @Override
                    public void onConnecting() {
                    }

                    @Override
                    public void onDtlsRetransmission(int flight) {
                    }

                    @Override
                    public void onContextEstablished(EndpointContext context) {
                    }

                    @Override
                    public void onSent() {
                        sent.complete(null);
                    }

                    @Override
                    public void onError(Throwable error) {
                        sent.completeExceptionally(error);
                    }
                }, false));
        sent.get(seconds, TimeUnit.SECONDS);
    }

    /** Forgets the connection and its session: the next handshake is a full one, from the same port. */
    void forgetSession() {
        connector.clearConnectionState();
    }

    /** The id of the session established with the peer, or null without one. */
    String sessionId() {
        DTLSSession session = connector.getSessionByAddress(peer);
        return session == null ? null : session.getSessionIdentifier().toString();
    }

    /** close_notify: the next handshake resumes. */
    void closeConnection() throws InterruptedException {
        connector.close(peer);
        Thread.sleep(100); // let the close_notify leave before the next ClientHello (a bench, not a timed test)
    }

    @Override
    public void close() {
        connector.destroy();
    }
}

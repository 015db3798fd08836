package dev.fleetkey.service.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.InMemorySessionStore;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite.CertificateKeyAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;

/**
 * The device-facing CoAP server over DTLS 1.2 (Scandium under Californium), without Spring so tests can
 * run it directly. Server rules of the profile: {@code TLS_PSK_WITH_AES_128_CCM_8}, and with the
 * endpoint's own credentials also {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8} (P-256, ECDSA-SHA256, raw
 * public keys and certificates, device authentication required); cookie
 * exchange (HelloVerifyRequest) on, no PSK identity hint, {@code decrypt_error} for an unknown identity
 * or a wrong key, every renegotiation attempt answered with {@code no_renegotiation}
 * ({@link RenegotiationRefusal}). A session lives only as long as the credential it authenticated: every request
 * and every resumption checks the device's current state.
 */
public final class DeviceEndpoint {

    /** Bytes of the Connection IDs this endpoint issues; enough for every device of a large fleet. */
    private static final int CONNECTION_ID_LENGTH = 6;

    private final InetSocketAddress bindAddress;
    private final DeviceCredentialDirectory directory;
    private final Optional<EndpointCredentials> credentials;
    private final Optional<DeviceRequests> requests;
    private final Optional<DeviceEnrollment> enrollment;
    private CoapServer server;
    private DTLSConnector connector;
    private OpenSessions sessions;
    private ServerIdentity identity;

    /**
     * @param bindAddress where to listen; port 0 picks a free port (see {@link #boundAddress()})
     * @param directory   the devices that may connect
     */
    public DeviceEndpoint(InetSocketAddress bindAddress, DeviceCredentialDirectory directory) {
        this(bindAddress, directory, Optional.empty());
    }

    /**
     * An endpoint that also serves {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8} to raw-public-key and
     * certificate devices, when {@code credentials} are given.
     *
     * @param bindAddress where to listen; port 0 picks a free port (see {@link #boundAddress()})
     * @param directory   the devices that may connect
     * @param credentials the endpoint's own key (and certificate chain) and the device issuing CAs
     */
    public DeviceEndpoint(InetSocketAddress bindAddress, DeviceCredentialDirectory directory,
                          Optional<EndpointCredentials> credentials) {
        this(bindAddress, directory, credentials, Optional.empty(), Optional.empty());
    }

    /**
     * An endpoint that also serves {@code POST /checkin} and {@code GET /config} when {@code requests} are given,
     * and EST-coaps under {@code /.well-known/est} and the device CA's CRL at {@code /crl} when {@code enrollment}
     * is given (it then also accepts factory certificates for enrollment).
     *
     * @param requests   what the service does for an authenticated device's check-in and config requests
     * @param enrollment what the service does for EST requests
     */
    public DeviceEndpoint(InetSocketAddress bindAddress, DeviceCredentialDirectory directory,
                          Optional<EndpointCredentials> credentials, Optional<DeviceRequests> requests,
                          Optional<DeviceEnrollment> enrollment) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.enrollment = Objects.requireNonNull(enrollment, "enrollment");
    }

    /** Binds the UDP socket and starts serving. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Configuration config = configuration(credentials.isPresent());
        FinishedMacFailureAlerts alerts = new FinishedMacFailureAlerts();
        CurrentCredentials current = new CurrentCredentials(directory);
        OpenSessions sessions = new OpenSessions(current);
        RenegotiationRefusal renegotiation = new RenegotiationRefusal(config);
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(config)
                .setAddress(bindAddress)
                .setAdvancedPskStore(new DirectoryPskStore(directory))
                .setResumptionVerifier(new CurrentCredentialResumption(current))
                // resumable sessions in their own LRU store: the connection store then drops a connection a new
                // handshake from the same address supersedes, instead of keeping it 30 min and, once full, answering
                // every new handshake with HelloVerifyRequest (ConnectionStoreCapacityIT)
                .setSessionStore(new InMemorySessionStore(config.get(DtlsConfig.DTLS_MAX_CONNECTIONS), 0))
                .setApplicationLevelInfoSupplier(new DevicePrincipals())
                .setConnectionListener(alerts)
                .setDatagramFilter(renegotiation)
                .setHealthHandler(new dev.fleetkey.service.health.DeviceEndpointMetrics())
                .setLoggingTag("device-endpoint");
        ServerIdentity own = credentials.map(ServerIdentity::new).orElse(null);
        if (own != null) {
            builder.setCertificateIdentityProvider(own)
                    .setAdvancedCertificateVerifier(new DeviceCertificateVerifier(directory,
                            own.credentials().deviceIssuers(), enrollment));
        }
        DtlsConnectorConfig dtlsConfig;
        try {
            dtlsConfig = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("device endpoint DTLS configuration refused: " + e.getMessage(), e);
        }
        DTLSConnector dtls = new DTLSConnector(dtlsConfig);
        alerts.attach(dtls);
        sessions.attach(dtls);
        renegotiation.attach(dtls);
        CoapServer coap = new CoapServer(config);
        coap.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build());
        coap.add(new HelloResource(sessions));
        requests.ifPresent(service -> coap.add(new CheckinResource(service, sessions),
                new ConfigResource(service, sessions)));
        enrollment.ifPresent(est -> {
            coap.getRoot().getChild(".well-known").add(EstResources.wellKnownEst(est, sessions));
            coap.add(EstResources.revocationList(est, sessions));
        });
        try {
            coap.start();
        } catch (IllegalStateException e) {
            coap.destroy();
            throw new IOException("device endpoint cannot listen on UDP " + bindAddress + ": " + e.getMessage(), e);
        }
        if (!dtls.isRunning()) {
            coap.destroy();
            throw new IOException("device endpoint cannot listen on UDP " + bindAddress
                    + " (address in use or not available?)");
        }
        this.connector = dtls;
        this.server = coap;
        this.sessions = sessions;
        this.identity = own;
    }

    /**
     * Serves {@code next} as the endpoint's own key and certificate chain from the next handshake on, when it
     * differs from what is served; answers whether it did. Established sessions keep theirs.
     */
    public synchronized boolean useServerCredentials(EndpointCredentials next) {
        if (identity == null || identity.credentials().equals(next)) {
            return false;
        }
        identity.use(next);
        return true;
    }

    /** Stops serving and releases the socket. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
            connector = null;
            sessions = null;
            identity = null;
        }
    }

    /** Whether the endpoint is serving. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The address actually bound, with the real port when 0 was asked for. */
    public synchronized InetSocketAddress boundAddress() {
        if (connector == null) {
            throw new IllegalStateException("device endpoint is not running");
        }
        return connector.getAddress();
    }

    /** Built in code: {@code Configuration.getStandard()} would write Californium3.properties to disk. */
    private static Configuration configuration(boolean ecdhe) {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        if (ecdhe) {
            // RFC 7925 sections 4.3 and 5: the ECDHE suite on P-256 with ECDSA-SHA256 only; devices must authenticate.
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
            config.set(DtlsConfig.DTLS_CURVES, List.of(SupportedGroup.secp256r1));
            config.set(DtlsConfig.DTLS_SIGNATURE_AND_HASH_ALGORITHMS, List.of(SignatureAndHashAlgorithm.SHA256_WITH_ECDSA));
            config.set(DtlsConfig.DTLS_CERTIFICATE_KEY_ALGORITHMS, List.of(CertificateKeyAlgorithm.EC));
            config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
        } else {
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        }
        // RFC 9146: hand out a Connection ID to devices that ask for one, so a NAT rebinding keeps the session.
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, CONNECTION_ID_LENGTH);
        // cookie exchange for every handshake; PSK handshakes included, which is Scandium's default (the
        // separate PSK switch is deprecated in 3.14)
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, DtlsConfig.RFC7925_RETRANSMISSION_TIMEOUT_IN_MILLISECONDS,
                TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSION_TIMEOUT, 60, TimeUnit.SECONDS);
        return config;
    }
}

package dev.fleetkey.service.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

/**
 * The device-facing CoAP server over DTLS 1.2 (Scandium under Californium), without Spring so tests can
 * run it directly. Server rules of the profile: {@code TLS_PSK_WITH_AES_128_CCM_8} only, cookie
 * exchange (HelloVerifyRequest) on, no PSK identity hint, {@code decrypt_error} for an unknown identity
 * or a wrong key, renegotiation refused (Scandium answers a renegotiation attempt with
 * {@code no_renegotiation}).
 */
public final class DeviceEndpoint {

    private final InetSocketAddress bindAddress;
    private final DeviceCredentialDirectory directory;
    private CoapServer server;
    private DTLSConnector connector;

    /**
     * @param bindAddress where to listen; port 0 picks a free port (see {@link #boundAddress()})
     * @param directory   the devices that may connect
     */
    public DeviceEndpoint(InetSocketAddress bindAddress, DeviceCredentialDirectory directory) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Binds the UDP socket and starts serving. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Configuration config = configuration();
        FinishedMacFailureAlerts alerts = new FinishedMacFailureAlerts();
        DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
                .setAddress(bindAddress)
                .setAdvancedPskStore(new DirectoryPskStore(directory))
                .setApplicationLevelInfoSupplier(new DevicePrincipals())
                .setConnectionListener(alerts)
                .setLoggingTag("device-endpoint")
                .build();
        DTLSConnector dtls = new DTLSConnector(dtlsConfig);
        alerts.attach(dtls);
        CoapServer coap = new CoapServer(config);
        coap.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build());
        coap.add(new HelloResource());
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
    }

    /** Stops serving and releases the socket. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
            connector = null;
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
    private static Configuration configuration() {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, DtlsConfig.RFC7925_RETRANSMISSION_TIMEOUT_IN_MILLISECONDS,
                TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSION_TIMEOUT, 60, TimeUnit.SECONDS);
        return config;
    }
}

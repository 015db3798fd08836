package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.InMemorySessionStore;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.junit.jupiter.api.Test;

/**
 * Why the endpoint's long load runs ended with PSK clients looping on HelloVerifyRequest ("handshake message
 * sequence number 65536 out of range"): with session ids on and no session store, Scandium 3.14 keeps the
 * connection a full handshake supersedes (same address, the old session resumable by id) until it has been idle for
 * {@code DTLS_STALE_CONNECTION_THRESHOLD} (30 min). Once {@code DTLS_MAX_CONNECTIONS} (150,000) such connections are
 * kept, a new connection cannot be stored, and {@code DTLSConnector.processNewClientHello} then answers the
 * client's ClientHello with its cookie by another HelloVerifyRequest, forever: no alert, no refusal. Scandium's
 * {@link InMemorySessionStore} moves resumable sessions out of the connection store, which then drops a superseded
 * connection at once. Run on a real Scandium server with the endpoint's handshake settings (PSK, cookie exchange,
 * session ids) and a capacity of 8 instead of 150,000. A second limit ends the same way and stays: more than
 * {@code max(DTLS_MAX_CONNECTIONS, 50)} handshakes completed within 135 s ("Too many recent handshakes"), which is
 * why the second test makes 40 handshakes, not more.
 */
class ConnectionStoreCapacityIT {

    private static final int CAPACITY = 8;
    private static final byte[] IDENTITY = "capacity-device".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void withoutASessionStoreAFullConnectionStoreAnswersEveryNewHandshakeWithHelloVerifyRequestsUntilTheClientGivesUp()
            throws Exception {
        DTLSConnector server = server(DtlsConnectorConfig.builder(configuration()));
        try (StockScandiumClient device = StockScandiumClient.psk(address(server), IDENTITY, KEY)) {
            for (int i = 0; i < CAPACITY; i++) {
                device.forgetSession();
                device.handshake();
            }
            device.forgetSession();
            assertThatThrownBy(() -> device.handshake(120)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("sequence number 65536 out of range");
        } finally {
            server.destroy();
        }
    }

    @Test
    void withScandiumsSessionStoreAServerOfTheSameCapacityCompletesEveryFullHandshakeAndStillResumes() throws Exception {
        DTLSConnector server = server(DtlsConnectorConfig.builder(configuration())
                .setSessionStore(new InMemorySessionStore(CAPACITY, 0)));
        try (StockScandiumClient device = StockScandiumClient.psk(address(server), IDENTITY, KEY)) {
            for (int i = 0; i < 5 * CAPACITY; i++) {
                device.forgetSession();
                device.handshake();
            }
            String latest = device.sessionId();
            device.closeConnection();
            device.handshake();
            assertThat(device.sessionId()).as("the latest session is resumed after close_notify").isEqualTo(latest);
        } finally {
            server.destroy();
        }
    }

    private static Configuration configuration() {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, CAPACITY);
        return config;
    }

    private static DTLSConnector server(DtlsConnectorConfig.Builder builder) throws Exception {
        AdvancedMultiPskStore psks = new AdvancedMultiPskStore();
        psks.setKey(new String(IDENTITY, StandardCharsets.US_ASCII), KEY);
        DTLSConnector server = new DTLSConnector(builder.setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .setAdvancedPskStore(psks).build());
        server.setRawDataReceiver(data -> { });
        server.start();
        return server;
    }

    private static InetSocketAddress address(DTLSConnector server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
    }
}

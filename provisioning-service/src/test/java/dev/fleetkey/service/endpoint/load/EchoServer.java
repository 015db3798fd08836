package dev.fleetkey.service.endpoint.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/**
 * A bare Californium server on this machine: the same PSK suite, an {@code /echo} resource that answers
 * {@code POST} with 2.04 and the request's payload, no lookup, no database. What established-session requests
 * cost the stack alone, for comparing {@code /checkin} against.
 */
final class EchoServer implements AutoCloseable {

    static final byte[] KEY = "echo-server-key!".getBytes(StandardCharsets.US_ASCII);

    private final CoapServer server;
    private final DTLSConnector connector;

    EchoServer(int clients) throws Exception {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        for (int i = 0; i < clients; i++) {
            store.setKey(identity(i), KEY);
        }
        connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).setAdvancedPskStore(store).build());
        server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build());
        server.add(new CoapResource("echo") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CHANGED, exchange.getRequestPayload());
            }
        });
        server.start();
    }

    static String identity(int client) {
        return "echo-" + client;
    }

    InetSocketAddress address() {
        return connector.getAddress();
    }

    @Override
    public void close() {
        server.destroy();
    }
}

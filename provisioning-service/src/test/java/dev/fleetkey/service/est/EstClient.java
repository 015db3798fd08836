package dev.fleetkey.service.est;

import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
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
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * A stock Californium CoAP client over Scandium holding a device certificate: what a Java device with EST
 * support would run. Trusts the endpoint's certificate chain to {@code trustAnchor}.
 */
final class EstClient implements AutoCloseable {

    private final CoapEndpoint endpoint;
    private final String base;

    private EstClient(CoapEndpoint endpoint, InetSocketAddress server) {
        this.endpoint = endpoint;
        this.base = "coaps://" + server.getAddress().getHostAddress() + ":" + server.getPort();
    }

    static EstClient withCertificate(InetSocketAddress server, PrivateKey key, List<X509Certificate> chain,
            X509Certificate trustAnchor) throws Exception {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
        config.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false); // dialled by IP address in tests
        DTLSConnector dtls = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(key, chain.toArray(new X509Certificate[0]),
                        CertificateType.X_509))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(trustAnchor).build())
                .build());
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(dtls).build();
        endpoint.start();
        return new EstClient(endpoint, server);
    }

    CoapResponse get(String path, int accept) throws Exception {
        Request request = Request.newGet();
        if (accept >= 0) {
            request.getOptions().setAccept(accept);
        }
        return send(path, request);
    }

    /** One block of a GET, asked for directly (RFC 7959 section 2.4): the server cuts the body itself. */
    CoapResponse getBlock(String path, int blockSize, int number) throws Exception {
        Request request = Request.newGet();
        request.getOptions().setBlock2(new BlockOption(BlockOption.size2Szx(blockSize), false, number));
        return send(path, request);
    }

    CoapResponse post(String path, byte[] payload, int contentFormat, int accept) throws Exception {
        Request request = Request.newPost();
        request.setPayload(payload);
        request.getOptions().setContentFormat(contentFormat);
        if (accept >= 0) {
            request.getOptions().setAccept(accept);
        }
        return send(path, request);
    }

    private CoapResponse send(String path, Request request) throws Exception {
        CoapClient client = new CoapClient(base + path);
        try {
            client.setEndpoint(endpoint);
            client.setTimeout(20_000L);
            request.setType(CoAP.Type.CON);
            CoapResponse response = client.advanced(request);
            if (response == null) {
                throw new AssertionError("no answer to " + request.getCode() + " " + path);
            }
            return response;
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}

package dev.fleetkey.runtime.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.eclipse.californium.elements.auth.X509CertPath;

import dev.fleetkey.bundle.Eui64;

/**
 * A Scandium/Californium coaps server speaking RFC 9148 simple re-enrollment as the wire format says: POST
 * {@code /.well-known/est/sren} with a PKCS#10 in content-format 286 answers 2.04 with the certificate in 287
 * (or PKCS#7 certs-only, 281, when asked), valid for 60 days. Clients authenticate with certificates of the device CA; the server
 * records the serial of every client certificate it saw, and can be told to answer otherwise (refuse, another
 * device, another key).
 */
public final class EstTestServer implements AutoCloseable {

    /** How the server answers a re-enrollment. */
    public enum Answer { ISSUE, REFUSE, OTHER_DEVICE, OTHER_KEY }

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final List<BigInteger> clientSerials = new CopyOnWriteArrayList<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.ISSUE);

    private EstTestServer(CoapServer server, CoapEndpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts on a random loopback port.
     *
     * @param serverCert the server's certificate (with its key), issued under {@code root}
     * @param deviceCa   issues renewed certificates; clients must chain to {@code root} through it
     */
    public static EstTestServer start(TestCertificates.Issued serverCert, TestCertificates.Issued deviceCa,
                                      X509Certificate root) throws Exception {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, org.eclipse.californium.elements.config
                .CertificateAuthenticationMode.NEEDED);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(
                org.eclipse.californium.scandium.dtls.cipher.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(serverCert.privateKey(),
                        new X509Certificate[] {serverCert.certificate()}, CertificateType.X_509))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(root).build())
                .build();
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls)).build();
        CoapServer server = new CoapServer(config);
        server.addEndpoint(endpoint);
        EstTestServer est = new EstTestServer(server, endpoint);
        CoapResource wellKnown = (CoapResource) server.getRoot().getChild(".well-known");
        CoapResource estResource = new CoapResource("est");
        estResource.add(est.reenroll(deviceCa));
        if (wellKnown == null) {
            wellKnown = new CoapResource(".well-known");
            server.add(wellKnown);
        }
        wellKnown.add(estResource);
        server.add(est.seen());
        server.start();
        return est;
    }

    private CoapResource seen() {
        return new CoapResource("hello") {
            @Override
            public void handleGET(CoapExchange exchange) {
                record(exchange);
                exchange.respond(ResponseCode.CONTENT, "hello");
            }
        };
    }

    private CoapResource reenroll(TestCertificates.Issued deviceCa) {
        return new CoapResource("sren") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                record(exchange);
                if (exchange.getRequestOptions().getContentFormat() != 286) {
                    exchange.respond(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
                    return;
                }
                if (answer.get() == Answer.REFUSE) {
                    exchange.respond(ResponseCode.FORBIDDEN, "device is revoked");
                    return;
                }
                try {
                    JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(exchange.getRequestPayload());
                    if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                        exchange.respond(ResponseCode.BAD_REQUEST, "proof of possession failed");
                        return;
                    }
                    String cn = csr.getSubject().toString().replace("CN=", "");
                    Eui64 device = Eui64.parse(answer.get() == Answer.OTHER_DEVICE ? "02-00-00-FF-FE-00-00-01" : cn);
                    PublicKey key = answer.get() == Answer.OTHER_KEY ? TestCertificates.p256().getPublic()
                            : csr.getPublicKey();
                    X509Certificate issued = issue(device, key, deviceCa);
                    if (exchange.getRequestOptions().getAccept() == 281) {
                        byte[] pkcs7 = java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertPath(List.of(issued)).getEncoded("PKCS7");
                        exchange.respond(ResponseCode.CHANGED, pkcs7, 281);
                    } else {
                        exchange.respond(ResponseCode.CHANGED, issued.getEncoded(), 287);
                    }
                } catch (Exception e) {
                    exchange.respond(ResponseCode.BAD_REQUEST, "bad request: " + e.getMessage());
                }
            }
        };
    }

    private void record(CoapExchange exchange) {
        if (exchange.advanced().getRequest().getSourceContext().getPeerIdentity() instanceof X509CertPath path) {
            BigInteger serial = path.getTarget().getSerialNumber();
            clientSerials.add(serial);
        }
    }

    private static X509Certificate issue(Eui64 device, PublicKey key, TestCertificates.Issued ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                new BigInteger(64, new java.security.SecureRandom()).setBit(62), Date.from(now.minusSeconds(300)),
                Date.from(now.plus(Duration.ofDays(60))), new X500Name("CN=" + device.canonical()), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, device.urn())));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
    }

    /** Makes the next re-enrollments answer {@code how}. */
    public void answer(Answer how) {
        answer.set(how);
    }

    /** The serials of the client certificates of every request, in order. */
    public List<BigInteger> clientSerials() {
        return List.copyOf(clientSerials);
    }

    /** Where the server listens. */
    public InetSocketAddress address() {
        return endpoint.getAddress();
    }

    @Override
    public void close() {
        server.destroy();
    }
}

package dev.fleetkey.service.est;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.audit.AuditEntry;
import dev.fleetkey.service.audit.AuditFilter;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DeviceKeySubmission;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import dev.fleetkey.service.pki.CertificateAuthorities;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A device holding a certificate Fleetkey issued renews it over EST-coaps ({@code /sren}, RFC 9148) with a stock
 * Californium/Scandium client, then connects with the new one; the refusals answer RFC 9148's codes with a
 * diagnostic text. Real UDP, DTLS, H2.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EstReEnrollIT {

    private static final int CERTS_ONLY = 281;
    private static final int PKIX_CERT = 287;
    private static final int PKCS10 = 286;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @Autowired
    DeviceEndpointLifecycle endpoint;
    @Autowired
    DeviceProvisioning provisioning;
    @Autowired
    DeviceRepository devices;
    @Autowired
    CertificateAuthorities cas;
    @Autowired
    AuditEntries audit;

    @Test
    void deviceRenewsItsCertificateOverSrenAndConnectsWithTheNewOne() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E5-01");
        KeyPair first = EstFixtures.p256();
        X509Certificate firstCertificate = provision(device, first);
        KeyPair second = EstFixtures.p256();

        X509Certificate renewed;
        try (EstClient client = client(first, firstCertificate)) {
            CoapResponse response = client.post("/.well-known/est/sren", EstFixtures.csr(second, device), PKCS10,
                    CERTS_ONLY);

            assertThat(response.getCode()).as(response.getResponseText()).isEqualTo(ResponseCode.CHANGED);
            assertThat(response.getOptions().getContentFormat()).isEqualTo(CERTS_ONLY);
            List<X509Certificate> issued = EstFixtures.certsOnly(response.getPayload());
            assertThat(issued).hasSize(1);
            renewed = issued.get(0);
            // the old certificate keeps working during the template's overlap
            assertThat(client.get("/hello", -1).getResponseText()).isEqualTo(device.canonical());
        }

        assertThat(renewed.getPublicKey()).isEqualTo(second.getPublic());
        renewed.verify(cas.deviceCa().certificate().getPublicKey());
        assertThat(renewed.getSubjectX500Principal().getName()).isEqualTo("CN=" + device.canonical());
        assertThat(renewed.getSubjectAlternativeNames()).containsExactly(List.of(6, device.urn()));
        try (EstClient client = client(second, renewed)) {
            CoapResponse hello = client.get("/hello", -1);
            assertThat(hello.getCode()).isEqualTo(ResponseCode.CONTENT);
            assertThat(hello.getResponseText()).isEqualTo(device.canonical());
        }
        List<DeviceCredential> current = devices.currentCredentials(devices.findByEui64(device).orElseThrow().id());
        assertThat(current).singleElement().satisfies(c ->
                assertThat(c.certificateSerial()).isEqualTo(renewed.getSerialNumber().toString(16)));
        assertThat(audit.find(new AuditFilter(null, "device:" + device.canonical(), "device.enrolled", null, null), 0, 5))
                .extracting(AuditEntry::subject).singleElement().asString().contains("est:/sren via:x509");
    }

    @Test
    void srenAnswersTheBareCertificateWhenAcceptAsksForPkixCert() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E5-02");
        KeyPair first = EstFixtures.p256();
        KeyPair second = EstFixtures.p256();
        try (EstClient client = client(first, provision(device, first))) {
            CoapResponse response = client.post("/.well-known/est/sren", EstFixtures.csr(second, device), PKCS10,
                    PKIX_CERT);

            assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
            assertThat(response.getOptions().getContentFormat()).isEqualTo(PKIX_CERT);
            assertThat(EstFixtures.certificate(response.getPayload()).getPublicKey()).isEqualTo(second.getPublic());
        }
    }

    @Test
    void srenRefusesACsrForAnotherDeviceAKeyUsedBeforeAndABrokenSignature() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E5-03");
        KeyPair first = EstFixtures.p256();
        KeyPair fresh = EstFixtures.p256();
        try (EstClient client = client(first, provision(device, first))) {
            CoapResponse foreign = client.post("/.well-known/est/sren",
                    EstFixtures.csr(fresh, "00-11-22-FF-FE-00-E5-99", fresh), PKCS10, -1);
            CoapResponse reused = client.post("/.well-known/est/sren", EstFixtures.csr(first, device), PKCS10, -1);
            CoapResponse unsigned = client.post("/.well-known/est/sren",
                    EstFixtures.csr(fresh, device.canonical(), first), PKCS10, -1);
            CoapResponse notPkcs10 = client.post("/.well-known/est/sren", EstFixtures.csr(fresh, device), 42, -1);
            CoapResponse unacceptable = client.post("/.well-known/est/sren", EstFixtures.csr(fresh, device), PKCS10, 50);

            assertThat(foreign.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(foreign.getResponseText()).contains("00-11-22-FF-FE-00-E5-99").contains("can only enroll as itself");
            assertThat(reused.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(reused.getResponseText()).contains("new key pair");
            assertThat(unsigned.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(unsigned.getResponseText()).contains("proof of possession");
            assertThat(notPkcs10.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
            assertThat(unacceptable.getCode()).isEqualTo(ResponseCode.NOT_ACCEPTABLE);
        }
        assertThat(audit.find(new AuditFilter(null, "device:" + device.canonical(), "device.enrollment-refused", null,
                null), 0, 10)).hasSize(3);
    }

    @Test
    void crtsAnswersTheDeviceCaChainOrTheRootAndGoesBlockwise() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E5-04");
        KeyPair keys = EstFixtures.p256();
        try (EstClient client = client(keys, provision(device, keys))) {
            CoapResponse chain = client.get("/.well-known/est/crts", -1);
            CoapResponse root = client.get("/.well-known/est/crts", PKIX_CERT);
            CoapResponse secondBlock = client.getBlock("/.well-known/est/crts", 64, 1);
            CoapResponse discovery = client.get("/.well-known/core?rt=ace.est.sren", -1);

            assertThat(chain.getOptions().getContentFormat()).isEqualTo(CERTS_ONLY);
            assertThat(EstFixtures.certsOnly(chain.getPayload()))
                    .containsExactlyInAnyOrder(cas.deviceCa().certificate(), cas.rootCertificate());
            assertThat(EstFixtures.certificate(root.getPayload())).isEqualTo(cas.rootCertificate());
            assertThat(chain.getPayload().length).isGreaterThan(128);
            assertThat(secondBlock.getOptions().getBlock2().getNum()).isEqualTo(1);
            assertThat(secondBlock.getOptions().getBlock2().isM()).isTrue();
            assertThat(secondBlock.getPayload()).containsExactly(Arrays.copyOfRange(chain.getPayload(), 64, 128));
            assertThat(discovery.getResponseText()).contains("</.well-known/est/sren>").contains("rt=\"ace.est.sren\"");
        }
    }

    @Test
    void attCrlAndSkgAnswerWhatTheTemplateAllows() throws Exception {
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-E5-05");
        KeyPair keys = EstFixtures.p256();
        try (EstClient client = client(keys, provision(device, keys))) {
            CoapResponse attributes = client.get("/.well-known/est/att", -1);
            CoapResponse crl = client.get("/crl", -1);
            CoapResponse crlInCms = client.get("/crl", CERTS_ONLY);
            CoapResponse skg = client.post("/.well-known/est/skg", EstFixtures.csr(EstFixtures.p256(), device), PKCS10,
                    62);

            assertThat(attributes.getOptions().getContentFormat()).isEqualTo(285);
            ASN1Sequence csrAttributes = ASN1Sequence.getInstance(attributes.getPayload());
            assertThat(csrAttributes.getObjectAt(0)).isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
            assertThat(Attribute.getInstance(csrAttributes.getObjectAt(1)).getAttrValues().getObjectAt(0))
                    .isEqualTo(SECObjectIdentifiers.secp256r1);
            assertThat(crl.getOptions().getContentFormat()).isEqualTo(42);
            X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(crl.getPayload()));
            parsed.verify(cas.deviceCa().certificate().getPublicKey());
            assertThat(new CMSSignedData(crlInCms.getPayload()).getCRLs().getMatches(null)).hasSize(1);
            // demo-x509 leaves est.server-keys at off
            assertThat(skg.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(skg.getResponseText()).contains("est.server-keys: off");
        }
    }

    private X509Certificate provision(Eui64 device, KeyPair keys) throws Exception {
        provisioning.provision(device.canonical(), "demo-x509",
                new DeviceKeySubmission(null, Base64.getEncoder().encodeToString(EstFixtures.csr(keys, device))));
        byte[] der = devices.currentCredentials(devices.findByEui64(device).orElseThrow().id()).get(0).certificate();
        return EstFixtures.certificate(der);
    }

    private EstClient client(KeyPair keys, X509Certificate certificate) throws Exception {
        return EstClient.withCertificate(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                endpoint.boundAddress().getPort()), keys.getPrivate(), List.of(certificate), cas.rootCertificate());
    }
}

package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DeviceRepository;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.cert.CRLReason;
import java.time.Clock;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The device CA's revocation list over real HTTP, checked by openssl: a revoked device's certificate is refused,
 * another device's passes, and CRL numbers keep increasing, also for a fresh instance on the same database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevocationListIT {

    private static final String CRL = "/api/v1/pki/cas/device/crl";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of()).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceRepository devices;

    @Autowired
    CertificateAuthorities authorities;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @TempDir
    Path dir;

    @Test
    void aRevokedDevicesCertificateIsListedAndOpensslRefusesItWhileAnotherDevicePasses() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        ApiClient anonymous = ApiClient.anonymous(port);
        assertThat(http.provision("00-11-22-FF-FE-00-C1-01", "demo-x509", null).statusCode()).isEqualTo(201);
        assertThat(http.provision("00-11-22-FF-FE-00-C1-02", "demo-x509", null).statusCode()).isEqualTo(201);
        X509Certificate revoked = certificateOf("00-11-22-FF-FE-00-C1-01");
        X509Certificate kept = certificateOf("00-11-22-FF-FE-00-C1-02");
        X509CRL before = crl(anonymous.send("GET", CRL, null));

        HttpResponse<byte[]> revoke = http.post("/api/v1/devices/00-11-22-FF-FE-00-C1-01/revoke",
                "{\"reason\":\"key compromised\"}");
        assertThat(revoke.statusCode()).as(ServiceHttp.text(revoke)).isEqualTo(200);
        HttpResponse<byte[]> response = anonymous.send("GET", CRL, null);

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age");
        X509CRL after = crl(response);
        after.verify(authorities.deviceCa().certificate().getPublicKey());
        assertThat(after.getIssuerX500Principal()).isEqualTo(authorities.deviceCa().certificate()
                .getSubjectX500Principal());
        X509CRLEntry entry = after.getRevokedCertificate(revoked.getSerialNumber());
        assertThat(entry).isNotNull();
        assertThat(entry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
        assertThat(after.getRevokedCertificate(kept.getSerialNumber())).isNull();
        assertThat(number(after)).isGreaterThan(number(before));

        Path chain = Openssl.writePem(dir, "chain.pem", authorities.deviceCa().chain().toArray());
        Path crl = Openssl.writePem(dir, "crl.pem", after);
        Path revokedPem = Openssl.writePem(dir, "revoked.pem", revoked);
        Path keptPem = Openssl.writePem(dir, "kept.pem", kept);
        ExternalCommand.Result refused = Openssl.run(dir, "verify", "-crl_check", "-CAfile", chain.toString(), "-CRLfile",
                crl.toString(), revokedPem.toString());
        ExternalCommand.Result passed = Openssl.run(dir, "verify", "-crl_check", "-CAfile", chain.toString(), "-CRLfile",
                crl.toString(), keptPem.toString());
        assertThat(refused.succeeded()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("certificate revoked");
        assertThat(passed.succeeded()).as(passed.output()).isTrue();
    }

    @Test
    void anUnchangedListIsServedAgainAndAFreshInstanceOnTheSameDatabaseKeepsNumbering() throws Exception {
        ApiClient anonymous = ApiClient.anonymous(port);
        HttpResponse<byte[]> firstResponse = anonymous.send("GET", CRL, null);
        BigInteger first = number(crl(firstResponse));
        assertThat(number(crl(anonymous.send("GET", CRL, null)))).isEqualTo(first);
        String etag = firstResponse.headers().firstValue("ETag").orElseThrow();
        assertThat(anonymous.send("GET", CRL, null, "If-None-Match", etag).statusCode()).isEqualTo(304);

        new ServiceHttp(port).provision("00-11-22-FF-FE-00-C1-03", "demo-x509", null);
        new ServiceHttp(port).post("/api/v1/devices/00-11-22-FF-FE-00-C1-03/revoke", "{\"reason\":\"scrapped\"}");
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        RevocationLists restarted = new RevocationLists(authorities, devices, jdbc, own,
                new RevocationListProperties(java.time.Duration.ofDays(7)), Clock.systemUTC());
        RevocationLists.Crl next = restarted.current(RevocationLists.DEVICE_CA);

        assertThat(BigInteger.valueOf(next.number())).isGreaterThan(first);
        assertThat(anonymous.send("GET", CRL, null, "If-None-Match", etag).statusCode()).isEqualTo(200);
        X509CRL parsed = parse(next.der());
        assertThat(parsed.getRevokedCertificate(certificateOf("00-11-22-FF-FE-00-C1-03").getSerialNumber())
                .getRevocationReason()).isEqualTo(CRLReason.CESSATION_OF_OPERATION);
    }

    @Test
    void aCertificateRotatedOutWithoutOverlapIsListedAsSupersededAndItsSuccessorIsNot() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        http.provision("00-11-22-FF-FE-00-C1-04", "demo-x509", null);
        X509Certificate old = certificateOf("00-11-22-FF-FE-00-C1-04");

        HttpResponse<byte[]> rotated = http.post("/api/v1/devices/00-11-22-FF-FE-00-C1-04/rotate",
                "{\"overlap\":\"PT0S\"}");
        assertThat(rotated.statusCode()).as(ServiceHttp.text(rotated)).isEqualTo(200);
        X509CRL list = crl(ApiClient.anonymous(port).send("GET", CRL, null));

        assertThat(list.getRevokedCertificate(old.getSerialNumber()).getRevocationReason())
                .isEqualTo(CRLReason.SUPERSEDED);
        long id = devices.findByEui64(Eui64.parse("00-11-22-FF-FE-00-C1-04")).orElseThrow().id();
        byte[] current = devices.currentCredentials(id).get(0).certificate();
        X509Certificate successor = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(current));
        assertThat(list.getRevokedCertificate(successor.getSerialNumber())).isNull();
    }

    @Test
    void anUnknownCaIs404NamingTheCasThatPublishOne() {
        HttpResponse<byte[]> response = ApiClient.anonymous(port).send("GET", "/api/v1/pki/cas/root/crl", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiClient.text(response)).contains("'device'").contains("'server'");
    }

    private X509Certificate certificateOf(String eui64) throws Exception {
        long id = devices.findByEui64(Eui64.parse(eui64)).orElseThrow().id();
        DeviceCredential credential = devices.allCredentials(id).get(0);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(credential.certificate()));
    }

    private static X509CRL crl(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        return parse(response.body());
    }

    private static X509CRL parse(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    private static BigInteger number(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets()).getValue();
    }
}

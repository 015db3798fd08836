package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CertificatesTest {

    @Test
    void aChainIsParsedInItsOrderAndEachCertificateEncodesBackToItsDer() throws Exception {
        TestPki.Identity root = TestPki.selfSignedCa("Root");
        TestPki.Identity issuing = TestPki.issuedCa("Issuing", root);
        List<byte[]> ders = List.of(issuing.certificate().getEncoded(), root.certificate().getEncoded());

        List<X509Certificate> parsed = Certificates.parse(ders);

        assertThat(parsed).containsExactly(issuing.certificate(), root.certificate());
        assertThat(Certificates.parse(ders.get(1))).isEqualTo(root.certificate());
        assertThat(Certificates.encoded(parsed.get(0))).hasValueSatisfying(der -> assertThat(der).isEqualTo(ders.get(0)));
    }

    @Test
    void bytesThatAreNoCertificateAreRefusedWithACertificateException() {
        assertThatThrownBy(() -> Certificates.parse(List.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void alternativeNamesOfOneTypeComeInCertificateOrderAndNoneWithoutTheExtension() throws Exception {
        X509Certificate named = withAlternativeNames(new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "a.example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:dev:mac:0011223344556677"),
                new GeneralName(GeneralName.dNSName, "b.example.com")}));

        assertThat(Certificates.alternativeNames(named, Certificates.DNS_NAME))
                .containsExactly("a.example.com", "b.example.com");
        assertThat(Certificates.alternativeNames(named, Certificates.URI))
                .containsExactly("urn:dev:mac:0011223344556677");
        assertThat(Certificates.alternativeNames(TestPki.selfSignedCa("No SAN").certificate(), Certificates.DNS_NAME))
                .isEmpty();
    }

    private static X509Certificate withAlternativeNames(GeneralNames names) throws Exception {
        KeyPair keys = TestPki.p256();
        X500Name subject = new X500Name("CN=Named");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, names);
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}

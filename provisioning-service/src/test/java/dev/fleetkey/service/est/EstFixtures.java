package dev.fleetkey.service.est;

import dev.fleetkey.bundle.Eui64;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, CSRs and certs-only parsing for the EST tests. */
final class EstFixtures {

    private EstFixtures() {
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A DER PKCS#10 for {@code keys}, subject CN = {@code commonName}, signed by {@code signer}. */
    static byte[] csr(KeyPair keys, String commonName, KeyPair signer) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();
    }

    static byte[] csr(KeyPair keys, Eui64 device) throws Exception {
        return csr(keys, device.canonical(), keys);
    }

    /** The certificates of a certs-only CMS (Content-Format 281), in order. */
    static List<X509Certificate> certsOnly(byte[] der) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : new CMSSignedData(der).getCertificates().getMatches(null)) {
            certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
        return certificates;
    }

    static X509Certificate certificate(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}

package dev.fleetkey.service.est;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.pki.Openssl;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test manufacturer CA and the factory certificates (IDevIDs) it gives devices: subject CN the canonical
 * EUI-64 and SAN {@code urn:dev:mac:}, as a secure element's certificate would carry them.
 */
final class FactoryPki {

    private final KeyPair caKeys;
    private final X509Certificate ca;

    private FactoryPki(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    static FactoryPki manufacturer(String name) {
        try {
            KeyPair keys = EstFixtures.p256();
            X500Name subject = new X500Name("CN=" + name + ",O=Test Manufacturer");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(3650))),
                    subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new FactoryPki(keys, sign(builder, keys));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate ca() {
        return ca;
    }

    /** The CA certificate as PEM text. */
    String caPem() throws Exception {
        Path dir = Files.createTempDirectory("factory-ca");
        return Files.readString(Openssl.writePem(dir, "ca.pem", ca));
    }

    /** An IDevID for {@code device}, certifying {@code deviceKey}. */
    X509Certificate idevid(Eui64 device, PublicKey deviceKey) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minus(Duration.ofDays(1))),
                Date.from(Instant.now().plus(Duration.ofDays(3650))),
                new X500Name("CN=" + device.canonical() + ",O=Test Manufacturer"), deviceKey);
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, device.urn())));
        return sign(builder, caKeys);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }
}

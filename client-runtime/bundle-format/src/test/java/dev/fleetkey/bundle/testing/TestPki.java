package dev.fleetkey.bundle.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test keys and certificates made in code (no files to go stale). */
public final class TestPki {

    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    /** A fresh P-256 key pair. */
    public static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key and its certificate. */
    public record Identity(KeyPair keyPair, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    /** A self-signed signing identity (KU digitalSignature, no EKU), valid from an hour ago for a year. */
    public static Identity selfSignedSigner(String commonName) {
        KeyPair kp = p256();
        return new Identity(kp, certificate(commonName, kp, commonName, kp.getPrivate(), false,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(365)));
    }

    /** A CA certificate, self-signed. */
    public static Identity selfSignedCa(String commonName) {
        KeyPair kp = p256();
        return new Identity(kp, certificate(commonName, kp, commonName, kp.getPrivate(), true,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(365)));
    }

    /** A CA certificate, self-signed, that expired long ago (a trust anchor no longer valid). */
    public static Identity expiredCa(String commonName) {
        KeyPair kp = p256();
        return new Identity(kp, certificate(commonName, kp, commonName, kp.getPrivate(), true,
                Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(30)));
    }

    /** A CA issued by {@code issuer} (e.g. a device CA under the fleet root). */
    public static Identity issuedCa(String commonName, Identity issuer) {
        KeyPair kp = p256();
        return new Identity(kp, certificate(commonName, kp, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), true, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(365)));
    }

    /** A signing identity issued by {@code issuer}. */
    public static Identity issuedSigner(String commonName, Identity issuer) {
        KeyPair kp = p256();
        String issuerName = issuer.certificate().getSubjectX500Principal().getName();
        return new Identity(kp, certificate(commonName, kp, issuerName, issuer.privateKey(), false,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(365)));
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                               boolean ca, Instant notBefore, Duration validity) {
        try {
            X500Name subjectName = subject.contains("=") ? new X500Name(subject) : new X500Name("CN=" + subject);
            X500Name issuerName = issuer.contains("=") ? new X500Name(issuer) : new X500Name("CN=" + issuer);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, RANDOM).setBit(62), Date.from(notBefore), Date.from(notBefore.plus(validity)),
                    subjectName, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                            : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("test certificate: " + e, e);
        }
    }
}

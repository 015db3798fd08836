package dev.fleetkey.runtime.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.fleetkey.bundle.Eui64;

/**
 * Certificates for DTLS tests, made in code with BouncyCastle: a server CA and server leaves naming a
 * DNS host (good, expired, for another host), a device CA and device leaves naming an EUI-64.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key with its certificate. */
    public record Issued(KeyPair keyPair, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    private TestCertificates() {
    }

    /** A P-256 key pair from the JDK's own provider, as a device would hold it. */
    public static KeyPair p256() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA, valid from an hour ago for a year. */
    public static Issued ca(String commonName) {
        KeyPair keys = p256();
        return new Issued(keys, build("CN=" + commonName, keys, "CN=" + commonName, keys.getPrivate(), true, (GeneralName) null, null,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(365)));
    }

    /** A CA issued by {@code issuer}, valid from an hour ago for a year: an intermediate, as a device issuing CA. */
    public static Issued intermediateCa(String commonName, Issued issuer) {
        KeyPair keys = p256();
        return new Issued(keys, build("CN=" + commonName, keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), true, (GeneralName) null, null, Instant.now().minus(Duration.ofHours(1)),
                Duration.ofDays(365)));
    }

    /** A TLS server certificate for {@code dnsName} (SAN dNSName, EKU serverAuth), valid now. */
    public static Issued server(String dnsName, Issued issuer) {
        return server(dnsName, issuer, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30));
    }

    /** A TLS server certificate for {@code dnsName} that expired a day ago. */
    public static Issued expiredServer(String dnsName, Issued issuer) {
        return server(dnsName, issuer, Instant.now().minus(Duration.ofDays(31)), Duration.ofDays(30));
    }

    private static Issued server(String dnsName, Issued issuer, Instant notBefore, Duration validity) {
        KeyPair keys = p256();
        return new Issued(keys, build("CN=" + dnsName, keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), false, new GeneralName(GeneralName.dNSName, dnsName), KeyPurposeId.id_kp_serverAuth,
                notBefore, validity));
    }

    /** A server certificate with exactly the given subject and subjectAltName dNSNames (none: no SAN). */
    public static Issued named(String subject, List<String> dnsNames, Issued issuer) {
        KeyPair keys = p256();
        GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return new Issued(keys, build(subject, keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), false, names, KeyPurposeId.id_kp_serverAuth,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30)));
    }

    /** A device client certificate: subject CN and SAN urn:dev:mac: name the EUI-64, EKU clientAuth. */
    public static Issued device(Eui64 device, Issued issuer) {
        KeyPair keys = p256();
        return new Issued(keys, build("CN=" + device.canonical(), keys,
                issuer.certificate().getSubjectX500Principal().getName(), issuer.privateKey(), false,
                new GeneralName(GeneralName.uniformResourceIdentifier, device.urn()), KeyPurposeId.id_kp_clientAuth,
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30)));
    }

    /** Writes a key (PKCS#8) or certificates as PEM, for openssl. */
    public static Path writePem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                pem.writeObject(object instanceof PrivateKey
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator((PrivateKey) object, null) : object);
            }
        }
        return Files.writeString(file, text.toString());
    }

    /**
     * Writes a key pair's private key as PKCS#8 PEM with the curve and public key inside (RFC 5915):
     * gnutls refuses an EC key without its public key, which is how the JDK encodes one.
     */
    public static Path writeKeyPem(Path file, KeyPair keys) throws IOException {
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                new org.bouncycastle.asn1.DERBitString(spki.getPublicKeyData().getBytes()),
                spki.getAlgorithm().getParameters());
        byte[] pkcs8 = new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(spki.getAlgorithm(), sec1).getEncoded();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", pkcs8));
        }
        return Files.writeString(file, text.toString());
    }

    /** DER encodings of the certificates, in order. */
    public static List<byte[]> der(X509Certificate... certificates) {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            try {
                out.add(certificate.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                         boolean ca, GeneralName altName, KeyPurposeId purpose, Instant notBefore,
                                         Duration validity) {
        return build(subject, subjectKeys, issuer, issuerKey, ca,
                altName == null ? new GeneralName[0] : new GeneralName[] {altName}, purpose, notBefore, validity);
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                         boolean ca, GeneralName[] altNames, KeyPurposeId purpose, Instant notBefore,
                                         Duration validity) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, RANDOM).setBit(62), Date.from(notBefore), Date.from(notBefore.plus(validity)),
                    new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature));
            if (altNames.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            }
            if (purpose != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("test certificate: " + e, e);
        }
    }
}

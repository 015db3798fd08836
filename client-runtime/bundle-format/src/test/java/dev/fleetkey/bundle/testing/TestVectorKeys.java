package dev.fleetkey.bundle.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TEST ONLY keys and certificates of the golden vectors, derived from fixed labels so that every run
 * makes the same ones; plus PEM reading and writing for the files in {@code firmware-bundles/test-vectors}.
 */
public final class TestVectorKeys {

    private static final Provider BC = new BouncyCastleProvider();
    private static final ECNamedCurveParameterSpec P256 = ECNamedCurveTable.getParameterSpec("secp256r1");
    /** Validity of every vector certificate: wide enough for the vectors' times and for openssl checking today. */
    static final Instant CERT_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant CERT_NOT_AFTER = Instant.parse("2050-01-01T00:00:00Z");

    private TestVectorKeys() {
    }

    /** The P-256 key pair named {@code label}: d = 1 + (SHA-256(label) mod (n - 1)). */
    public static KeyPair key(String label) {
        BigInteger n = P256.getN();
        BigInteger d = new BigInteger(1, SeededRandom.sha256(("fleetkey TEST ONLY key: " + label)
                .getBytes(StandardCharsets.UTF_8), 0)).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        try {
            KeyFactory f = KeyFactory.getInstance("EC", BC);
            return new KeyPair(f.generatePublic(new ECPublicKeySpec(P256.getG().multiply(d).normalize(), P256)),
                    f.generatePrivate(new ECPrivateKeySpec(d, P256)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate for {@code subjectKeys}, signed by {@code issuerKey} (self-signed when the names match).
     *
     * @param deviceUrn an RFC 9039 URN for the subjectAltName of a device certificate, or null
     */
    public static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                              long serial, boolean ca, String deviceUrn) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(serial),
                    Date.from(CERT_NOT_BEFORE), Date.from(CERT_NOT_AFTER), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (deviceUrn != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, deviceUrn)));
            }
            // a seeded nonce keeps the certificate bytes identical from run to run
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC)
                            .setSecureRandom(new SeededRandom("certificate " + subject)).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("test vector certificate " + subject + ": " + e, e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static X509Certificate readCertificate(Path pem) throws IOException {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + " is not a certificate", e);
        }
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pem + " is not a PKCS#8 EC private key", e);
        }
    }
}

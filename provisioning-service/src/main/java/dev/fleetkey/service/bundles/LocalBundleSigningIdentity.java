package dev.fleetkey.service.bundles;

import dev.fleetkey.service.system.LocalKeystore;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.stereotype.Component;

/**
 * An ECDSA P-256 key with a self-signed certificate (key usage digitalSignature, critical; no extended
 * key usage), made on first start and kept in the service's PKCS#12 file, so bundles signed before a
 * restart still verify after it.
 */
@Component
class LocalBundleSigningIdentity implements BundleSigningIdentity {

    static final String ALIAS = "bundle-signer";
    static final String SUBJECT = "CN=Fleetkey bundle signer,O=Fleetkey";
    private static final Duration VALIDITY = Duration.ofDays(10 * 365);

    private final PrivateKey key;
    private final X509Certificate certificate;

    LocalBundleSigningIdentity(LocalKeystore keystore) {
        KeyStore.PrivateKeyEntry entry = (KeyStore.PrivateKeyEntry) keystore.entry(ALIAS, LocalBundleSigningIdentity::create);
        this.key = entry.getPrivateKey();
        this.certificate = (X509Certificate) entry.getCertificate();
    }

    @Override
    public PrivateKey key() {
        return key;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    private static KeyStore.Entry create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate cert = selfSigned(pair);
            return new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {cert});
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("Cannot create the bundle-signing key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name subject = new X500Name(SUBJECT);
        Instant now = Instant.now();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }
}

package dev.fleetkey.service.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * ECDSA P-256 / SHA-256 through one chosen JCA provider: key generation, signing, key import.
 *
 * <p>The provider is chosen by measurement ({@code PkiBenchmarks}): on JDK 17 BouncyCastle generates
 * P-256 keys and signs several times faster than SunEC, so {@link #preferred()} uses BouncyCastle. The
 * provider instance is passed around rather than registered globally, so nothing else in the JVM changes.
 */
public final class P256Crypto {

    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final P256Crypto PREFERRED = new P256Crypto(BOUNCY_CASTLE, new SecureRandom());

    private final Provider provider;
    private final SecureRandom random;
    private final JcaX509CertificateConverter certificateConverter = new JcaX509CertificateConverter();

    public P256Crypto(Provider provider, SecureRandom random) {
        this.provider = provider;
        this.random = random;
    }

    /** BouncyCastle, the faster provider for P-256 on JDK 17 (see the class comment). */
    public static P256Crypto preferred() {
        return PREFERRED;
    }

    /** The JDK's own SunEC provider, kept for comparison in benchmarks. */
    public static P256Crypto sunEc() {
        return new P256Crypto(Security.getProvider("SunEC"), new SecureRandom());
    }

    /** The BouncyCastle provider instance (not registered in {@link Security}). */
    public static Provider bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    public Provider provider() {
        return provider;
    }

    public SecureRandom random() {
        return random;
    }

    /** A fresh secp256r1 key pair. */
    public KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is unavailable in " + provider.getName(), e);
        }
    }

    /**
     * A SHA256withECDSA content signer for certificates and CMS. A key that stays inside a token (it has no
     * encoding) signs there: no provider is named, so JCA's delayed provider selection picks the token's
     * registered provider (see {@link Pkcs11KeyVault}).
     */
    public ContentSigner signer(PrivateKey key) {
        try {
            JcaContentSignerBuilder builder = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random);
            return (inToken(key) ? builder : builder.setProvider(provider)).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    /**
     * The same private key as an object of this provider. Keys read from a keystore belong to the JDK's
     * provider; re-importing them once avoids a conversion on every signature. A key inside a token is
     * returned as it is: it never leaves the token.
     */
    public PrivateKey importPrivateKey(PrivateKey key) {
        if (inToken(key)) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), provider)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot import a " + key.getAlgorithm() + " private key", e);
        }
    }

    /** Whether {@code key} is a handle to a key inside a token (it has no encoding to read out). */
    public static boolean inToken(PrivateKey key) {
        return key.getEncoded() == null;
    }

    /** A public key from SubjectPublicKeyInfo DER. */
    public PublicKey publicKey(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC", provider).generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    /** A JDK certificate object from a BouncyCastle holder. */
    public X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return certificateConverter.getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("A certificate just built could not be decoded", e);
        }
    }
}

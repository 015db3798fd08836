package dev.fleetkey.bundle;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs payloads into CMS SignedData (RFC 5652): ECDSA P-256 with SHA-256, the payload encapsulated,
 * the signer named by subject key identifier, and no signed attributes (everything that matters is
 * in the payload, and a device saves the bytes). With a key in memory signatures are deterministic
 * (RFC 6979): the same payload and key always give the same bundle bytes, so packaging is reproducible
 * and a signature never depends on the quality of a random number generator. A key inside a PKCS#11
 * token signs with the token's random nonces ({@link #deterministic()} is false): the payload bytes are
 * still identical, the signature differs each time, and verifiers accept both. Thread-safe.
 */
public final class BundleSigner {

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final byte[] subjectKeyIdentifier;
    private final boolean embedCertificate;

    /**
     * @param key the signing key, ECDSA P-256
     * @param certificate the certificate of {@code key}
     * @param embedCertificate whether bundles carry the certificate (devices that hold it as their
     *     trust anchor do not need it)
     */
    public BundleSigner(PrivateKey key, X509Certificate certificate, boolean embedCertificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.subjectKeyIdentifier = Crypto.subjectKeyIdentifier(certificate);
        this.embedCertificate = embedCertificate;
        if (!"EC".equals(key.getAlgorithm()) && !"ECDSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("bundle signing key must be ECDSA P-256, was " + key.getAlgorithm());
        }
    }

    /** The certificate devices verify these bundles with. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Whether signing the same payload twice gives the same bytes: true for a key in memory (RFC 6979), false for
     * a key inside a token. See FORMAT.md, "Deterministic and randomized signatures".
     */
    public boolean deterministic() {
        return EcdsaContentSigner.isDeterministic(key);
    }

    /** Encodes and signs {@code payload}; returns the DER CMS SignedData. */
    public byte[] sign(BundlePayload payload) {
        return signEncoded(BundleCodec.encode(payload));
    }

    /** Signs an already encoded payload (used to build deliberately bad test vectors). */
    public byte[] signEncoded(byte[] payloadCbor) {
        try {
            ContentSigner contentSigner = EcdsaContentSigner.forKey(key);
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.BC).build())
                    .setDirectSignature(true)
                    .build(contentSigner, subjectKeyIdentifier);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            if (embedCertificate) {
                generator.addCertificate(new JcaX509CertificateHolder(certificate));
            }
            return generator.generate(new CMSProcessableByteArray(payloadCbor), true).getEncoded("DER");
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("could not sign bundle: " + e.getClass().getSimpleName(), e);
        }
    }
}

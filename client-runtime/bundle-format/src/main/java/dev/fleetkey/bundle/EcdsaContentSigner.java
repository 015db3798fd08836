package dev.fleetkey.bundle;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * ECDSA with SHA-256 as a BouncyCastle {@link ContentSigner}: with RFC 6979 deterministic nonces for a key in
 * memory, with the token's own random nonce for a key inside a PKCS#11 token (a token signs only with its own
 * nonces). On the wire both are plain ecdsa-with-SHA256 and verify alike. Why not JcaContentSignerBuilder: it
 * has no algorithm identifier for BouncyCastle's {@code SHA256withECDDSA}.
 */
final class EcdsaContentSigner implements ContentSigner {

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private final Signature signature;

    private EcdsaContentSigner(Signature signature) {
        this.signature = signature;
    }

    /** Deterministic for a key in memory; randomized, inside the token, for a key without encoding. */
    static EcdsaContentSigner forKey(PrivateKey key) {
        try {
            // no provider named for a token key: JCA's delayed selection finds the token's registered provider
            Signature signature = isDeterministic(key) ? Signature.getInstance("SHA256withECDDSA", Crypto.BC)
                    : Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            return new EcdsaContentSigner(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bundle signing key must be ECDSA P-256: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether signatures with {@code key} are deterministic: true unless the key is inside a token. */
    static boolean isDeterministic(PrivateKey key) {
        return key.getEncoded() != null;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_WITH_SHA256;
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    signature.update(b, off, len);
                } catch (SignatureException e) {
                    throw new RuntimeOperatorException("signature update failed", e);
                }
            }
        };
    }

    @Override
    public byte[] getSignature() {
        try {
            return signature.sign();
        } catch (SignatureException e) {
            throw new RuntimeOperatorException("signing failed", e);
        }
    }
}
